#if canImport(Glibc)
import Glibc
#endif

/// The process's file-descriptor budget (`RLIMIT_NOFILE`) and the part of it sockets may
/// use. The rest is a reserve for everything else a service opens: SQLite files, model
/// files, subprocess pipes, and the runtime's own reads — libdispatch's thread-pool
/// monitor opens `/proc/<tid>/stat` once a second and kills the process (SIGILL) when
/// that `open` fails, so a server that let connections take the last descriptor would
/// crash. Sockets whose number reaches the ceiling are closed at once (the server
/// answers 503, the client fails with `HTTPClientError.descriptorLimit`): descriptors are
/// handed out lowest first, so a socket numbered at or above the ceiling proves that
/// every number below it is taken.
public enum DescriptorLimit {
    /// The soft limit now (`RLIMIT_NOFILE`).
    public static var soft: Int {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return 1024 }
        return Int(min(limit.rlim_cur, rlim_t(Int32.max)))
    }

    /// Raises the soft limit to the hard one (a service starts with whatever its shell
    /// or unit gave it, often 1024 of a hard 524288); returns the soft limit after.
    @discardableResult
    public static func raiseSoftLimitToHard() -> Int {
        var limit = rlimit()
        if getrlimit(resource, &limit) == 0, limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) != 0 {
                // Some kernels cap the value below an infinite hard limit (nr_open).
                raised.rlim_cur = 1 << 20
                _ = setrlimit(resource, &raised)
            }
        }
        return soft
    }

    /// Descriptors kept out of the sockets' reach under a soft limit of `limit`: a
    /// sixteenth of it, at least 32 and at most 4096.
    public static func reserve(forLimit limit: Int) -> Int {
        min(4096, max(32, limit / 16))
    }

    /// The lowest descriptor number a socket may not have under a soft limit of `limit`
    /// (the limit minus the reserve, at least 8).
    public static func socketCeiling(forLimit limit: Int) -> Int {
        max(8, limit - reserve(forLimit: limit))
    }

    /// The socket ceiling under the soft limit now.
    public static var socketCeiling: Int { socketCeiling(forLimit: soft) }

    /// The default connection cap under the soft limit now: half of the descriptors sockets
    /// may use, so that a proxy's upstream connections have the other half.
    public static var defaultMaxConnections: Int { max(4, socketCeiling / 2) }

    private static var resource: __rlimit_resource_t { __rlimit_resource_t(RLIMIT_NOFILE.rawValue) }

    /// Whether `errno` after `accept`/`socket` means the process or system is out of
    /// descriptors or socket memory (retrying at once cannot help).
    static func isExhaustion(_ code: Int32) -> Bool {
        code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM
    }
}
