/// The zygote's `spawn` request: one kernel on a channel, as a uid, in a directory, with limits.
struct KernelLaunch: Encodable, Sendable {
    /// The limits set in the kernel before it runs anything (`setrlimit`).
    struct Limits: Encodable, Sendable {
        /// `RLIMIT_CPU`.
        var cpuSeconds: Int
        /// Added to the zygote's address space for `RLIMIT_AS`.
        var memoryBytes: Int
        /// `RLIMIT_NPROC` (per uid).
        var processes: Int
        /// `RLIMIT_NOFILE`.
        var openFiles: Int
        /// `RLIMIT_FSIZE`.
        var fileSizeBytes: Int

        enum CodingKeys: String, CodingKey {
            case cpuSeconds = "cpu_seconds", memoryBytes = "memory_bytes", processes, openFiles = "open_files"
            case fileSizeBytes = "file_size_bytes"
        }
    }

    /// Always `spawn`.
    var op = "spawn"
    /// The channel the kernel talks on.
    var kernel: UInt32
    /// The uid (and gid) it runs as; nil keeps the zygote's (the service is not root).
    var uid: UInt32?
    /// Its working directory, made afresh (0700, owned by `uid`).
    var workdir: String
    /// Its limits.
    var limits: Limits
}
