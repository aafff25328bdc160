import Foundation

/// A Python test peer from `deploy/checks/` that prints `PORT <n>` once it listens and
/// runs until its standard input closes (so it dies with the test process).
public struct PythonPeer: @unchecked Sendable {
    /// The running peer.
    public let process: Process
    /// Its standard input: closing it (or exiting) stops the peer.
    public let input: Pipe
    /// The port it listens on.
    public let port: Int

    /// Starts `deploy/checks/<script>` with `arguments` under the tests' Python and waits
    /// for its `PORT` line (read off the cooperative pool); throws with what it printed
    /// instead.
    public static func start(script: String, arguments: [String]) async throws -> PythonPeer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TLSTestServer.python)
        process.arguments = [TLSTestServer.repositoryRoot.appendingPathComponent("deploy/checks/\(script)").path] + arguments
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let handle = output.fileHandleForReading
        let line: String = await TestSupport.blocking {
            var bytes: [UInt8] = []
            while !bytes.contains(0x0A) {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                bytes.append(contentsOf: chunk)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw TLSTestServerError(output: line)
        }
        return PythonPeer(process: process, input: input, port: port)
    }
}
