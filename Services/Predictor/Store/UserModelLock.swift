#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on one user's personal model across replicas sharing the models
/// directory: `flock` on `<model file>.lock` (created 0600 beside the model, kept). A
/// replica holds it from reading the latest saved model to saving the one built from it, so
/// two replicas taking one user's uploads at once apply them in turn instead of the later
/// save dropping the other's files. `flock` excludes other processes and other open files
/// of this one; on a network volume it needs one that honours it (NFSv4 does). Blocking:
/// take it off the cooperative pool.
final class UserModelLock {
    private var descriptor: Int32

    /// Waits until the lock at `path` is this one's.
    init(path: String) throws(StorageWriteError) {
        let opened = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard opened >= 0 else { throw StorageWriteError(path: path, operation: "open", code: errno) }
        while flock(opened, LOCK_EX) != 0 {
            let code = errno
            if code == EINTR { continue }
            close(opened)
            throw StorageWriteError(path: path, operation: "flock", code: code)
        }
        descriptor = opened
    }

    /// Gives the lock up (closing the file releases it).
    func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
