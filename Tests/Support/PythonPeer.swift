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
    /// What it printed after the `PORT` line in the chunk that held it.
    private let printedAfterPort: [UInt8]

    private init(process: Subprocess, port: Int, printedAfterPort: [UInt8]) {
        self.process = process
        self.port = port
        self.printedAfterPort = printedAfterPort
    }

    /// Starts `deploy/checks/<script>` with `arguments` under `python` (the tests' Python
    /// unless told) and waits for its `PORT` line; throws with what it printed instead.
    /// Its standard output stays open (a peer never writes to a closed pipe) and is read
    /// by `finish()`; its standard error too with `capturingErrors`, else it goes nowhere.
    public static func start(script: String, arguments: [String], python: String = TLSTestServer.python,
                             capturingErrors: Bool = false) async throws -> PythonPeer {
        let script = TLSTestServer.repositoryRoot.appendingPathComponent("deploy/checks/\(script)").path
        var spec = ProcessSpec(executable: python, arguments: [script] + arguments,
                               environment: ProcessSpec.currentEnvironment)
        spec.standardInput = .pipe
        spec.standardOutput = .pipe
        spec.standardError = capturingErrors ? .pipe : .null
        let process = try await Subprocess.spawn(spec)
        var bytes: [UInt8] = []
        if let output = process.standardOutput {
            var chunks = output.makeAsyncIterator()
            while !bytes.contains(0x0A), let chunk = await chunks.next() { bytes.append(contentsOf: chunk) }
        }
        let end = bytes.firstIndex(of: 0x0A) ?? bytes.endIndex
        let line = String(decoding: bytes[..<end], as: UTF8.self)
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            _ = process.kill()
            _ = await process.wait()
            throw TLSTestServerError(output: line)
        }
        return PythonPeer(process: process, port: port, printedAfterPort: Array(bytes[min(end + 1, bytes.endIndex)...]))
    }

    /// Closes its standard input (it shuts down), waits for it to exit and returns
    /// everything it printed after the `PORT` line: standard output, then standard error
    /// when captured.
    public func finish() async -> String {
        process.standardInput?.close()
        async let output = process.standardOutput?.collect().bytes ?? []
        async let errors = process.standardError?.collect().bytes ?? []
        let printed = printedAfterPort + (await output) + (await errors)
        _ = await process.wait()
        return String(decoding: printed, as: UTF8.self)
    }

    /// Stops the peer: closes its standard input and sends SIGTERM (without waiting).
    public func stop() {
        process.standardInput?.close()
        if process.exitStatus == nil { _ = process.terminate() }
    }

    deinit { stop() }
}
