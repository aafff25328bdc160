/// Why the blob store refused or failed an upload.
public enum BlobStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A per-user dimension of `BlobQuota`.
    public enum QuotaKind: String, Sendable {
        /// Bytes of file contents (`USER_QUOTA_BYTES`).
        case bytes
        /// Files (`USER_QUOTA_FILES`).
        case files
        /// Directories (`USER_QUOTA_DIRECTORIES`).
        case directories

        /// The setting that bounds it.
        public var setting: String {
            switch self {
            case .bytes: "USER_QUOTA_BYTES"
            case .files: "USER_QUOTA_FILES"
            case .directories: "USER_QUOTA_DIRECTORIES"
            }
        }
    }

    /// The upload would take the user past a quota; nothing was stored.
    case quotaExceeded(kind: QuotaKind, limit: Int, wouldUse: Int)
    /// A path would replace a directory with a file or put a file under a file.
    case clash(path: String)
    /// The file system failed (a full disk is `isOutOfSpace`); nothing new was stored.
    case storage(StorageWriteError)

    /// One line for logs.
    public var description: String {
        switch self {
        case .quotaExceeded(let kind, let limit, let wouldUse): "quota \(kind.setting)=\(limit) exceeded (would be \(wouldUse))"
        case .clash(let path): "'\(path)' clashes with a stored file or directory"
        case .storage(let error): error.description
        }
    }
}
