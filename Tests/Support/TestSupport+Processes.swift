import Foundation
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

    /// Runs `executable` to its end, reading its output and waiting for it off the
    /// cooperative pool. Standard error goes into `output` with `includingStandardError`,
    /// else nowhere; `environment` nil inherits the test's.
    public static func run(_ executable: URL, arguments: [String] = [], environment: [String: String]? = nil,
                           includingStandardError: Bool = false) async throws -> CommandResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = includingStandardError ? pipe : FileHandle.nullDevice
        try process.run()
        let handle = pipe.fileHandleForReading
        return await blocking {
            let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return CommandResult(status: process.terminationStatus, output: text)
        }
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
