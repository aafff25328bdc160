import Foundation
import Subprocess
#if canImport(Glibc)
import Glibc
#endif

extension TestSupport {
    /// How a command ended and what it printed.
    public struct CommandResult: Sendable {
        /// Its exit status (or the signal that ended it).
        public let status: Int32
        /// Its standard output, and its standard error when asked for.
        public let output: String
    }

    /// Runs `executable` to its end through `Shared/Subprocess` (not Foundation's `Process`,
    /// whose `run()` in Swift 6.3.1 can read past a `readdir` buffer and crash the test
    /// process: swift-corelibs-foundation PR #5472). Standard error goes into `output` with
    /// `includingStandardError` (after standard output), else nowhere; `environment` nil
    /// inherits the test's.
    public static func run(_ executable: URL, arguments: [String] = [], environment: [String: String]? = nil,
                           includingStandardError: Bool = false) async throws -> CommandResult {
        var spec = ProcessSpec(executable: executable.path, arguments: arguments,
                               environment: environment ?? ProcessSpec.currentEnvironment)
        spec.killOnParentDeath = true
        let result = try await Subprocess.run(spec)
        let status: Int32
        switch result.status {
        case .exited(let code): status = code
        case .signalled(let signal, _): status = signal
        }
        let output = result.outputText + (includingStandardError ? result.errorText : "")
        return CommandResult(status: status, output: output)
    }

    /// Waits until `process` has exited (off the cooperative pool); its termination status.
    @discardableResult
    public static func waitForExit(_ process: Process) async -> Int32 {
        await blocking {
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// Sends `signal` (SIGTERM unless told) to `process` if it still runs, then waits for
    /// it to exit; its termination status.
    @discardableResult
    public static func stop(_ process: Process, signal: Int32 = SIGTERM) async -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        return await waitForExit(process)
    }
}
