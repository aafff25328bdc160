/// Where one of a child's standard streams (0, 1 or 2) goes.
public enum StandardIO: Sendable, Equatable {
    /// A pipe to this process: an async byte stream (`SubprocessOutput`) for stdout and
    /// stderr, a writer (`SubprocessInput`) for stdin. A pipe nobody reads fills up and
    /// then blocks the child, as with any pipe.
    case pipe
    /// `/dev/null`.
    case null
    /// The same descriptor as this process's own 0, 1 or 2.
    case inherit
    /// A file, opened by this process (with its rights, before any uid change): read for
    /// stdin; for stdout and stderr created (mode 0644) or truncated, or appended to.
    case file(path: String, append: Bool = false)
}
