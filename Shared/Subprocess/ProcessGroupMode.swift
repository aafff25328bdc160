/// Which process group (and session) the child is in.
public enum ProcessGroupMode: Sendable, Equatable {
    /// This process's group: signals reach the child alone, never its descendants.
    case inherit
    /// A new group led by the child (`setpgid(0, 0)`): `terminate()` and `kill()` reach
    /// every process it starts that stays in the group.
    case newGroup
    /// A new session and group (`setsid`), also detached from any controlling terminal.
    case newSession
}
