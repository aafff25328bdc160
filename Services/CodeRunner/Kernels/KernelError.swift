/// Why a kernel request did not get its answer.
enum KernelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The wall-clock limit passed; the kernel was killed.
    case timedOut(seconds: Int)
    /// The kernel ended (crashed, killed by a limit, `os._exit`) before answering.
    case exited(status: String)
    /// The zygote is not running (it could not start, or it died).
    case zygoteUnavailable(String)
    /// The kernel could not be started.
    case spawnFailed(String)
    /// The kernel wrote something that is not the protocol; it was killed.
    case protocolViolation(String)
    /// The kernel was stopped to make room for another session's.
    case evicted

    var description: String {
        switch self {
        case .timedOut(let seconds): return "timed out after \(seconds) s"
        case .exited(let status): return "the kernel exited (\(status))"
        case .zygoteUnavailable(let reason): return "the kernel server is unavailable: \(reason)"
        case .spawnFailed(let reason): return "the kernel could not be started: \(reason)"
        case .protocolViolation(let reason): return "the kernel broke the protocol: \(reason)"
        case .evicted: return "the kernel was stopped to make room for another session"
        }
    }
}
