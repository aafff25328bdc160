/// The user and groups a child runs as. Changing them needs root (`CAP_SETUID`,
/// `CAP_SETGID`); otherwise spawning fails with `SubprocessError.spawnFailed` at stage
/// `setgroups` and `EPERM`.
public struct UserIdentity: Sendable, Equatable {
    /// The real, effective and saved user id.
    public var uid: UInt32
    /// The real, effective and saved group id.
    public var gid: UInt32
    /// Supplementary groups; empty (the default) drops all of this process's.
    public var supplementaryGroups: [UInt32]

    /// An identity; `gid` defaults to `uid`.
    public init(uid: UInt32, gid: UInt32? = nil, supplementaryGroups: [UInt32] = []) {
        self.uid = uid
        self.gid = gid ?? uid
        self.supplementaryGroups = supplementaryGroups
    }
}
