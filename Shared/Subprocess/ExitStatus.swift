/// How a child process ended.
public enum ExitStatus: Sendable, Equatable, CustomStringConvertible {
    /// It called `exit` (or returned from `main`) with this code, 0–255. A child reaped by
    /// someone else before us (another part of the program calling `waitpid(-1)`) reports -1.
    case exited(code: Int32)
    /// A signal ended it, leaving a core dump or not.
    case signalled(signal: Int32, coreDumped: Bool)

    /// Decodes a `waitpid` status word.
    init(waitStatus raw: Int32) {
        let signal = raw & 0x7f
        if signal == 0 {
            self = .exited(code: (raw >> 8) & 0xff)
        } else {
            self = .signalled(signal: signal, coreDumped: raw & 0x80 != 0)
        }
    }

    /// True for `exited(code: 0)`.
    public var isSuccess: Bool { self == .exited(code: 0) }

    /// `exited(3)` or `signalled(9)`, with `core` when one was dumped.
    public var description: String {
        switch self {
        case .exited(let code): return "exited(\(code))"
        case .signalled(let signal, let core): return "signalled(\(signal)\(core ? ", core" : ""))"
        }
    }
}
