import CLinux

/// Linux namespaces the child gets of its own (`clone` flags). Creating any of them needs
/// `CAP_SYS_ADMIN`, except together with `.user`, which unprivileged users may create
/// where the kernel allows it. When the kernel refuses, spawning throws
/// `SubprocessError.namespacesRefused` naming the set and `errno`.
public struct Namespaces: OptionSet, Sendable, Hashable {
    /// The bits.
    public let rawValue: UInt32
    /// Namespaces from raw bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// A user namespace: the child's effective uid and gid are mapped to themselves
    /// (one id each), so it looks like itself inside and has capabilities only there.
    /// Cannot be combined with `ProcessSpec.user`.
    public static let user = Namespaces(rawValue: 1 << 0)
    /// A pid namespace: the child is pid 1 in it; when it dies every process in the
    /// namespace is killed and reaped by the kernel (no orphans, no zombies).
    public static let pid = Namespaces(rawValue: 1 << 1)
    /// A network namespace: only a loopback interface, down. No network at all.
    public static let network = Namespaces(rawValue: 1 << 2)
    /// A mount namespace (a private copy of the mount table).
    public static let mount = Namespaces(rawValue: 1 << 3)
    /// An IPC namespace (System V IPC, POSIX message queues).
    public static let ipc = Namespaces(rawValue: 1 << 4)
    /// A UTS namespace (host name).
    public static let uts = Namespaces(rawValue: 1 << 5)

    /// The `clone` flags.
    var cloneFlags: UInt64 {
        var flags: UInt64 = 0
        if contains(.user) { flags |= CLINUX_CLONE_NEWUSER }
        if contains(.pid) { flags |= CLINUX_CLONE_NEWPID }
        if contains(.network) { flags |= CLINUX_CLONE_NEWNET }
        if contains(.mount) { flags |= CLINUX_CLONE_NEWNS }
        if contains(.ipc) { flags |= CLINUX_CLONE_NEWIPC }
        if contains(.uts) { flags |= CLINUX_CLONE_NEWUTS }
        return flags
    }

    /// Names, for messages: `user, network`.
    public var names: [String] {
        [(Namespaces.user, "user"), (.pid, "pid"), (.network, "network"), (.mount, "mount"), (.ipc, "ipc"), (.uts, "uts")]
            .filter { contains($0.0) }.map(\.1)
    }
}
