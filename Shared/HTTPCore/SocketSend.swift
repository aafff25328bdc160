#if canImport(Glibc)
import CLinux
import Glibc
#endif

/// How far a non-blocking send got.
enum SendOutcome {
    /// Everything was written.
    case drained
    /// The socket's buffer is full; wait for EPOLLOUT.
    case wouldBlock
    /// The send failed with this `errno` (EPIPE, ECONNRESET, ...).
    case failed(Int32)
}

/// Writes `buffer[offset...]` to a non-blocking socket until it is all written or the
/// socket would block, advancing `offset`; EINTR is retried, SIGPIPE never raised.
/// Shared by server and client connections, which differ only in what an outcome means.
func sendPending(_ fd: Int32, _ buffer: [UInt8], _ offset: inout Int) -> SendOutcome {
    while offset < buffer.count {
        let n = buffer.withUnsafeBytes { p in
            send(fd, p.baseAddress! + offset, p.count - offset, Int32(MSG_NOSIGNAL))
        }
        if n > 0 {
            offset += n
        } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
            return .wouldBlock
        } else if n < 0 && errno == EINTR {
            continue
        } else {
            return .failed(n == 0 ? EPIPE : errno)
        }
    }
    return .drained
}
