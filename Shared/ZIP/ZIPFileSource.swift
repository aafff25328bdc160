import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A regular file opened for adding to an archive: its size when opened, then its bytes
/// in pieces.
final class ZIPFileSource {
    /// The path, for messages.
    let path: String
    /// The size when the file was opened.
    let size: UInt64
    private let descriptor: Int32

    /// Opens `url` for reading; fails for a missing, unreadable or non-regular file.
    init(_ url: URL) throws(ZIPError) {
        path = url.path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ZIPError.unreadable(path: url.path, reason: String(cString: strerror(errno))) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw ZIPError.unreadable(path: url.path, reason: reason)
        }
        guard status.st_mode & 0o170000 == 0o100000 else {  // S_IFMT, S_IFREG
            close(descriptor)
            throw ZIPError.unreadable(path: url.path, reason: "not a regular file")
        }
        size = UInt64(status.st_size)
    }

    deinit { close(descriptor) }

    /// Up to `count` next bytes (fewer only at the end of the file; empty at its end),
    /// read into fresh memory (not zeroed first).
    func read(upTo count: Int) throws(ZIPError) -> [UInt8] {
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            var filled = 0
            while filled < count {
                let result = Glibc.read(descriptor, buffer.baseAddress! + filled, count - filled)
                if result > 0 {
                    filled += result
                } else if result == 0 {
                    break
                } else if errno != EINTR {
                    failure = errno
                    break
                }
            }
            initializedCount = filled
        }
        guard failure == 0 else { throw ZIPError.unreadable(path: path, reason: String(cString: strerror(failure))) }
        return bytes
    }
}
