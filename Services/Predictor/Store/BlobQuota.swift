/// The most one user may keep in the blob store (`USER_QUOTA_BYTES`, `USER_QUOTA_FILES`,
/// `USER_QUOTA_DIRECTORIES`). An upload that would take a dimension past its limit stores
/// nothing; one that does not grow a dimension is never refused for it (replacing files
/// with smaller ones works even above a lowered quota).
public struct BlobQuota: Sendable, Equatable {
    /// Most bytes of file contents.
    public var bytes: Int
    /// Most files.
    public var files: Int
    /// Most directories.
    public var directories: Int

    /// A quota.
    public init(bytes: Int, files: Int, directories: Int) {
        self.bytes = bytes
        self.files = files
        self.directories = directories
    }

    /// No limit at all (tests, tools).
    public static let unlimited = BlobQuota(bytes: .max, files: .max, directories: .max)

    /// The first dimension that going from `current` to `next` takes past its limit.
    public func exceeded(from current: BlobUsage, to next: BlobUsage) -> BlobStoreError? {
        if next.bytes > current.bytes, next.bytes > bytes {
            return .quotaExceeded(kind: .bytes, limit: bytes, wouldUse: next.bytes)
        }
        if next.files > current.files, next.files > files {
            return .quotaExceeded(kind: .files, limit: files, wouldUse: next.files)
        }
        if next.directories > current.directories, next.directories > directories {
            return .quotaExceeded(kind: .directories, limit: directories, wouldUse: next.directories)
        }
        return nil
    }
}
