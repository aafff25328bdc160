/// What one user keeps in the blob store: bytes of file contents, files, directories
/// (files and directories together are the inodes the user costs).
public struct BlobUsage: Sendable, Equatable {
    /// Bytes of stored file contents.
    public var bytes: Int
    /// Stored files.
    public var files: Int
    /// Directories below the user's own (workspaces included).
    public var directories: Int

    /// A usage.
    public init(bytes: Int = 0, files: Int = 0, directories: Int = 0) {
        self.bytes = bytes
        self.files = files
        self.directories = directories
    }
}
