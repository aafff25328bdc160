import Foundation

/// A file-system write that failed: which path, which step and the `errno` it failed with.
public struct StorageWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file or directory being written.
    public var path: String
    /// The step that failed (`open`, `write`, `fsync`, `rename`, `mkdir`).
    public var operation: String
    /// The `errno` value.
    public var code: Int32

    /// Creates an error.
    public init(path: String, operation: String, code: Int32) {
        self.path = path
        self.operation = operation
        self.code = code
    }

    /// Whether the device (or the user's disk quota) is full: `ENOSPC`, `EDQUOT` or `EFBIG`.
    public var isOutOfSpace: Bool { code == ENOSPC || code == EDQUOT || code == EFBIG }

    /// `<operation> <path>: <strerror>`.
    public var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
}
