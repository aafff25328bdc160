/// The step of starting a child that failed. The child's steps run in this order
/// between `clone` and `execve`.
public enum SpawnStage: Int32, Sendable, CustomStringConvertible {
    /// Resetting signal handlers and the signal mask.
    case signals = 1
    /// Writing the uid/gid maps of a new user namespace.
    case userNamespaceMap = 2
    /// `setpgid` or `setsid`.
    case processGroup = 3
    /// Connecting the standard streams (`dup2`).
    case standardStreams = 4
    /// Marking other descriptors close-on-exec.
    case closeDescriptors = 5
    /// `setrlimit`.
    case resourceLimits = 6
    /// `setgroups`.
    case setgroups = 7
    /// `setgid`.
    case setgid = 8
    /// `setuid`.
    case setuid = 9
    /// Entering the working directory (after the identity change, with the child's rights).
    case workingDirectory = 10
    /// `PR_SET_NO_NEW_PRIVS`.
    case noNewPrivileges = 11
    /// `PR_SET_PDEATHSIG`.
    case deathSignal = 12
    /// `execve` itself: a missing file (`ENOENT`), not executable (`EACCES`), …
    case exec = 13
    /// Making a pipe in this process.
    case pipe = 20
    /// `clone` in this process.
    case clone = 21

    /// The stage's name.
    public var description: String {
        switch self {
        case .signals: return "signals"
        case .userNamespaceMap: return "user namespace map"
        case .processGroup: return "process group"
        case .standardStreams: return "standard streams"
        case .closeDescriptors: return "close descriptors"
        case .resourceLimits: return "resource limits"
        case .setgroups: return "setgroups"
        case .setgid: return "setgid"
        case .setuid: return "setuid"
        case .workingDirectory: return "working directory"
        case .noNewPrivileges: return "no_new_privs"
        case .deathSignal: return "parent death signal"
        case .exec: return "exec"
        case .pipe: return "pipe"
        case .clone: return "clone"
        }
    }
}
