/// What the zygote tells the service on channel 0.
struct ZygoteEvent: Decodable, Sendable {
    /// `ready`, `spawned`, `spawn_failed` or `exited`.
    var event: String
    /// The kernel's channel (all but `ready`).
    var kernel: UInt32?
    /// The zygote's pid (`ready`) or the kernel's (`spawned`).
    var pid: Int32?
    /// The zygote's effective uid (`ready`).
    var uid: Int?
    /// The zygote's mapped address space after its imports, bytes (`ready`).
    var vsz: Int?
    /// How the kernel ended, `exited(1)` or `signalled(9)` (`exited`).
    var status: String?
    /// Why a spawn failed.
    var error: String?
    /// What the zygote sees of its namespaces (`ready`).
    var namespaces: NamespaceNote?

    /// The zygote's view of its namespaces.
    struct NamespaceNote: Decodable, Sendable {
        /// It is pid 1: a pid namespace of its own.
        var pid1: Bool
        /// Network interfaces it sees (`["lo"]` in a network namespace of its own).
        var networkInterfaces: [String]?

        enum CodingKeys: String, CodingKey { case pid1, networkInterfaces = "network_interfaces" }
    }
}
