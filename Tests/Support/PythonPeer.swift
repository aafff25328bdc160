import Foundation
import Subprocess

/// A Python test peer from `deploy/checks/` that prints `PORT <n>` once it listens and
/// runs until its standard input closes (so it dies with the test process).
///
/// Launched through `Shared/Subprocess`, not Foundation's `Process`, whose `run()` in
/// Swift 6.3.1 can read past a `readdir` buffer and crash the test process
/// (swift-corelibs-foundation PR #5472).
public final class PythonPeer: Sendable {
    /// The running peer.
    public let process: Subprocess
    /// The port it listens on.
    public let port: Int
    /// Its standard output, kept open (and unread after the `PORT` line) so the peer
    /// never writes to a closed pipe.
    private let output: SubprocessOutput?

    private init(process: Subprocess, output: SubprocessOutput?, port: Int) {
        self.process = process
        self.output = output
        self.port = port
    }

    /// Starts `deploy/checks/<script>` with `arguments` under the tests' Python and waits
    /// for its `PORT` line; throws with what it printed instead.
    public static func start(script: String, arguments: [String]) async throws -> PythonPeer {
        let script = TLSTestServer.repositoryRoot.appendingPathComponent("deploy/checks/\(script)").path
        var spec = ProcessSpec(executable: TLSTestServer.python, arguments: [script] + arguments,
                               environment: ProcessSpec.currentEnvironment)
        spec.standardInput = .pipe
        spec.standardOutput = .pipe
        spec.standardError = .null
        let process = try await Subprocess.spawn(spec)
        var bytes: [UInt8] = []
        if let output = process.standardOutput {
            var chunks = output.makeAsyncIterator()
            while !bytes.contains(0x0A), let chunk = await chunks.next() { bytes.append(contentsOf: chunk) }
        }
        let line = String(decoding: bytes, as: UTF8.self)
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            _ = process.kill()
            _ = await process.wait()
            throw TLSTestServerError(output: line)
        }
        return PythonPeer(process: process, output: process.standardOutput, port: port)
    }

    /// Stops the peer: closes its standard input and sends SIGTERM (without waiting).
    public func stop() {
        process.standardInput?.close()
        if process.exitStatus == nil { _ = process.terminate() }
    }

    deinit { stop() }
}
