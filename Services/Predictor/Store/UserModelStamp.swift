#if canImport(Glibc)
import Glibc
#endif

/// Which version of a personal model file is on disk: its inode, size and modification time
/// (a save replaces the file by rename, so each save gives a new inode). With the models
/// directory shared by replicas, a replica compares the stamp of the file with the one of
/// the model it holds and reloads when another replica saved a newer model.
public struct UserModelStamp: Sendable, Equatable {
    /// The inode.
    public var inode: UInt64
    /// Bytes.
    public var size: Int64
    /// Modification time, nanoseconds since 1970.
    public var modified: Int64

    /// The stamp of the file at `path`, nil when there is none.
    public init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        inode = UInt64(status.st_ino)
        size = Int64(status.st_size)
        modified = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
    }
}
