#if canImport(Glibc)
import Glibc
#endif

/// What a transport read gave.
enum TransportReceive {
    /// This many bytes (of the response) are in the buffer.
    case bytes(Int)
    /// Nothing now; with TLS the session may need the socket writable first.
    case wouldBlock(wantsWrite: Bool)
    /// The peer closed the connection.
    case closed
    /// Reading failed.
    case failed(HTTPClientError)
}

/// How far a transport write got.
enum TransportSend {
    /// Everything was written.
    case drained
    /// The socket is full; with TLS the session may need to read first.
    case wouldBlock(wantsRead: Bool)
    /// The peer is gone (EPIPE, ECONNRESET): it may have answered before closing.
    case peerGone
    /// Writing failed.
    case failed(HTTPClientError)
}

/// How a client connection's bytes travel on its socket: as they are (`http://`) or
/// through a TLS session (`https://`). The connection's state machine, framing, pooling
/// and timeouts are the same over both.
enum ClientTransport {
    /// Plain TCP.
    case plain
    /// TLS over the TCP connection (the handshake is done before the first request).
    case tls(TLSSession)

    /// Reads what is there into `buffer`.
    @inline(__always)
    func receive(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> TransportReceive {
        switch self {
        case .plain:
            while true {
                let n = recv(fd, buffer.baseAddress, buffer.count, 0)
                if n > 0 { return .bytes(n) }
                if n == 0 { return .closed }
                let e = errno
                if e == EAGAIN || e == EWOULDBLOCK { return .wouldBlock(wantsWrite: false) }
                if e == EINTR { continue }
                return .failed(e == ECONNRESET ? .remoteClosed : .ioError(SystemError("recv", code: e).description))
            }
        case .tls(let session):
            return session.read(into: buffer)
        }
    }

    /// Writes `buffer[offset...]` until it is all written or the socket would block.
    @inline(__always)
    func send(_ fd: Int32, _ buffer: [UInt8], _ offset: inout Int) -> TransportSend {
        switch self {
        case .plain:
            switch sendPending(fd, buffer, &offset) {
            case .drained: return .drained
            case .wouldBlock: return .wouldBlock(wantsRead: false)
            case .failed(let e) where e == EPIPE || e == ECONNRESET: return .peerGone
            case .failed(let e): return .failed(.ioError(SystemError("send", code: e).description))
            }
        case .tls(let session):
            return session.write(buffer, &offset)
        }
    }

    /// Received bytes held above the socket (decrypted TLS records), which epoll will
    /// not report again.
    var hasBufferedInput: Bool {
        switch self {
        case .plain: false
        case .tls(let session): session.hasBufferedInput
        }
    }

    /// Ends the transport before its socket is closed (TLS: close_notify, best effort).
    func shutdown() {
        if case .tls(let session) = self { session.shutdown() }
    }
}
