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

    /// Starts `executable` through `Shared/Subprocess` (see `run`) with its standard
    /// output and error going where told (nowhere unless told) and standard input from
    /// `/dev/null`; it is killed if the test process dies. `environment` nil inherits the
    /// test's.
    public static func launch(_ executable: URL, arguments: [String] = [], environment: [String: String]? = nil,
                              output: StandardIO = .null, error: StandardIO = .null) async throws -> Subprocess {
        var spec = ProcessSpec(executable: executable.path, arguments: arguments,
                               environment: environment ?? ProcessSpec.currentEnvironment)
        spec.standardOutput = output
        spec.standardError = error
        spec.killOnParentDeath = true
        return try await Subprocess.spawn(spec)
    }

    /// Waits until `process` has exited; its exit code, or the signal that ended it.
    @discardableResult
    public static func waitForExit(_ process: Subprocess) async -> Int32 {
        switch await process.wait() {
        case .exited(let code): return code
        case .signalled(let signal, _): return signal
        }
    }

    /// Sends `signal` (SIGTERM unless told) to `process` alone (not its group) if it
    /// still runs, then waits for it to exit; its exit code, or the signal that ended it.
    @discardableResult
    public static func stop(_ process: Subprocess, signal: Int32 = SIGTERM) async -> Int32 {
        if process.exitStatus == nil { _ = process.signal(signal, toGroup: false) }
        return await waitForExit(process)
    }
}
