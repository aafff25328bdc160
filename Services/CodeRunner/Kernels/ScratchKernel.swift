import ServiceKit

/// A short-lived kernel with a copy of a session's dataset, for scoring fix candidates.
struct ScratchKernel: Sendable {
    let server: Zygote
    let channel: UInt32
    let timeout: Duration

    /// Runs one command.
    func run(_ command: KernelCommand) async throws -> KernelReply {
        try KernelPool.decode(try await server.request(JSON.encode(command), channel: channel, timeout: timeout))
    }
}
