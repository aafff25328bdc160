#if canImport(Glibc)
import Glibc
#endif

/// Why a child could not be started or talked to.
public enum SubprocessError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A step of starting the child failed with `errno`: `exec` with `ENOENT` for a missing
    /// executable, `workingDirectory` for a directory the child cannot enter, `setgroups`
    /// with `EPERM` for a uid change without root, …
    case spawnFailed(stage: SpawnStage, errno: Int32, executable: String)
    /// The kernel refused to create the namespaces (`clone` failed with `errno`: `EPERM`
    /// without the capability, `ENOSPC`/`EUSERS` over a namespace limit, `EINVAL` when
    /// not built in).
    case namespacesRefused(Namespaces, errno: Int32)
    /// A system call in this process failed (opening a file for a standard stream, …).
    case systemCall(String, errno: Int32)
    /// The specification cannot work as given.
    case invalidSpec(String)
    /// Writing to the child's stdin failed: it closed its end (or exited).
    case brokenPipe

    /// A one-line explanation naming the step and the error.
    public var description: String {
        switch self {
        case .spawnFailed(let stage, let code, let executable):
            return "cannot start \(executable): \(stage) failed: \(Self.text(code))"
        case .namespacesRefused(let namespaces, let code):
            return "the kernel refused namespaces [\(namespaces.names.joined(separator: ", "))]: \(Self.text(code))"
        case .systemCall(let call, let code):
            return "\(call): \(Self.text(code))"
        case .invalidSpec(let reason):
            return "invalid process spec: \(reason)"
        case .brokenPipe:
            return "the child's stdin is closed"
        }
    }

    /// `strerror` with the number: `No such file or directory (errno 2)`.
    static func text(_ code: Int32) -> String { "\(String(cString: strerror(code))) (errno \(code))" }
}
