#if canImport(Glibc)
import Glibc
#endif

/// Everything about how to start a child process. No shell is involved: `executable` is
/// run with `execve` exactly as given (an absolute path, or relative to the child's
/// working directory; no `PATH` search), with `arguments` and exactly `environment`.
///
/// The defaults suit running untrusted or helper programs from a server: an empty
/// environment, stdin from `/dev/null`, stdout and stderr as pipes, a new process group,
/// no core dumps, `no_new_privs`, and SIGKILL if this process dies.
public struct ProcessSpec: Sendable {
    /// The program, passed to `execve` as is.
    public var executable: String
    /// Arguments after `argv[0]`.
    public var arguments: [String]
    /// `argv[0]`; nil uses `executable`.
    public var argument0: String?
    /// The complete environment of the child. Nothing is inherited unless put here
    /// (`ProcessSpec.currentEnvironment` is this process's own).
    public var environment: [String: String]
    /// The child's working directory; nil keeps this process's. Entered after the uid
    /// change, so the child must be allowed in.
    public var workingDirectory: String?
    /// Standard input; `/dev/null` by default.
    public var standardInput: StandardIO = .null
    /// Standard output; a pipe by default.
    public var standardOutput: StandardIO = .pipe
    /// Standard error; a pipe by default.
    public var standardError: StandardIO = .pipe
    /// Resource limits.
    public var limits = ResourceLimits()
    /// The child's process group; a new one by default, so `kill()` reaches its descendants.
    public var processGroup: ProcessGroupMode = .newGroup
    /// Run as this user (needs root); nil keeps this process's.
    public var user: UserIdentity?
    /// `PR_SET_NO_NEW_PRIVS`: set-uid programs and file capabilities grant nothing. On by default.
    public var noNewPrivileges = true
    /// Namespaces of the child's own; none by default.
    public var namespaces: Namespaces = []
    /// SIGKILL the child when this process dies (`PR_SET_PDEATHSIG`). On by default.
    public var killOnParentDeath = true
    /// When the child exits, SIGKILL whatever is left of its process group before it is
    /// reaped (the group id cannot be reused meanwhile), so nothing it started survives it.
    /// Needs `processGroup` other than `.inherit`. Off by default.
    public var killGroupOnExit = false

    /// A spec for `executable` with `arguments` and exactly `environment` (empty by default).
    public init(executable: String, arguments: [String] = [], environment: [String: String] = [:],
                workingDirectory: String? = nil) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
    }

    /// This process's environment now, for a child that should inherit it (a fresh copy
    /// on every call, read from `environ`).
    public static var currentEnvironment: [String: String] {
        var result: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                let key = String(text[..<equals])
                if result[key] == nil { result[key] = String(text[text.index(after: equals)...]) }
            }
            entry += 1
        }
        return result
    }

    /// Throws when the settings contradict each other.
    func validate() throws(SubprocessError) {
        if executable.isEmpty { throw .invalidSpec("no executable") }
        if user != nil && namespaces.contains(.user) {
            throw .invalidSpec("a uid change cannot be combined with a user namespace")
        }
        if killGroupOnExit && processGroup == .inherit {
            throw .invalidSpec("killGroupOnExit needs a process group of the child's own")
        }
        for text in [executable] + arguments + [argument0 ?? ""] + environment.flatMap({ [$0.key, $0.value] })
            where text.utf8.contains(0) {
            throw .invalidSpec("NUL byte in an argument or the environment")
        }
        if environment.keys.contains(where: { $0.isEmpty || $0.contains("=") }) {
            throw .invalidSpec("environment names must be non-empty and without '='")
        }
    }
}
