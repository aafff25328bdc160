/// Resource limits (`setrlimit`) set in the child before it runs the program. `nil` keeps
/// this process's own limit. Each limit is both soft and hard, so the program cannot raise
/// it again; the CPU limit's hard value is one second above the soft one, so SIGXCPU comes
/// first and SIGKILL follows if the program ignores it.
public struct ResourceLimits: Sendable, Equatable {
    /// CPU time in seconds (`RLIMIT_CPU`): SIGXCPU at the limit, SIGKILL a second later.
    public var cpuSeconds: Int?
    /// Virtual address space in bytes (`RLIMIT_AS`): allocations beyond it fail.
    public var addressSpaceBytes: Int?
    /// Processes (threads included) of the child's real uid, system-wide (`RLIMIT_NPROC`).
    /// Not enforced for root: run the child as another uid (`ProcessSpec.user`) for it to count.
    public var processes: Int?
    /// Open file descriptors (`RLIMIT_NOFILE`): the highest descriptor number plus one.
    public var openFiles: Int?
    /// Largest file the child may write, in bytes (`RLIMIT_FSIZE`): SIGXFSZ beyond it.
    public var fileSizeBytes: Int?
    /// Largest core dump in bytes (`RLIMIT_CORE`); 0 (the default) writes none.
    public var coreFileBytes: Int?

    /// Limits as given; by default only core dumps are switched off.
    public init(cpuSeconds: Int? = nil, addressSpaceBytes: Int? = nil, processes: Int? = nil,
                openFiles: Int? = nil, fileSizeBytes: Int? = nil, coreFileBytes: Int? = 0) {
        self.cpuSeconds = cpuSeconds
        self.addressSpaceBytes = addressSpaceBytes
        self.processes = processes
        self.openFiles = openFiles
        self.fileSizeBytes = fileSizeBytes
        self.coreFileBytes = coreFileBytes
    }
}
