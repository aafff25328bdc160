/// How much one task's `files` may hold when sent as JSON (create, update).
public struct TaskLimits: Sendable, Equatable {
    /// Most files in one task.
    public var maxFiles: Int
    /// Largest file, in UTF-8 bytes.
    public var maxFileBytes: Int
    /// Largest total of every file, in UTF-8 bytes.
    public var maxTotalBytes: Int

    /// The defaults: 1,000 files, 4 MiB each, 16 MiB in all (the default request body limit).
    public static let defaults = TaskLimits(maxFiles: 1000, maxFileBytes: 4 * 1024 * 1024, maxTotalBytes: 16 * 1024 * 1024)

    /// Limits.
    public init(maxFiles: Int, maxFileBytes: Int, maxTotalBytes: Int) {
        self.maxFiles = maxFiles
        self.maxFileBytes = maxFileBytes
        self.maxTotalBytes = maxTotalBytes
    }
}
