/// Where bytes written to a client connection after `101 Switching Protocols` go.
struct UpgradedClientSink: BodySink {
    let connection: ClientConnection
    let generation: UInt64

    func write(_ bytes: [UInt8]) async throws {
        try await connection.writeUpgraded(bytes, generation: generation)
    }
}
