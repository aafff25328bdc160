import Dispatch
import Foundation
import HTTPCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection with blocking I/O, for tunnelling upgraded connections
/// (WebSocket at `/ws`) to an upstream. The pooled HTTPClient does not do upgrades; a
/// tunnel is long-lived and rare, so blocking calls run off the event loops
/// (`TunnelSocket.offLoop`) and a reader thread per tunnel is acceptable.
public final class TunnelSocket: @unchecked Sendable {
    /// The descriptor.
    public let fd: Int32
    private let closed = Atomic<Bool>(false)
    private let holders = Atomic<Int>(0)

    init(fd: Int32) { self.fd = fd }

    /// Connects to `host:port`; `timeout` bounds the connect and each later read/write
    /// until changed with `setTimeout`.
    public static func connect(host: String, port: Int, timeout: Duration) throws -> TunnelSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var res: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &res) == 0, let first = res else {
            throw UpstreamError.unreachable("cannot resolve \(host)")
        }
        defer { freeaddrinfo(first) }
        var p: UnsafeMutablePointer<addrinfo>? = first
        var lastErrno: Int32 = 0
        while let ai = p {
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
            if fd >= 0 {
                let s = TunnelSocket(fd: fd)
                s.setTimeout(timeout)
                if Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 {
                    var one: Int32 = 1
                    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(4))
                    return s
                }
                lastErrno = errno
                Glibc.close(fd)
            }
            p = ai.pointee.ai_next
        }
        if lastErrno == EINPROGRESS || lastErrno == EAGAIN || lastErrno == ETIMEDOUT {
            throw UpstreamError.timeout("connect to \(host):\(port) timed out")
        }
        throw UpstreamError.unreachable("connect to \(host):\(port): \(String(cString: strerror(lastErrno)))")
    }

    /// Sets the read and write timeout (nil: none).
    public func setTimeout(_ d: Duration?) {
        var tv = timeval()
        if let d {
            let (s, atto) = d.components
            tv.tv_sec = Int(s)
            tv.tv_usec = Int(atto / 1_000_000_000_000)
            if tv.tv_sec == 0 && tv.tv_usec == 0 { tv.tv_usec = 1000 }
        }
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Writes all bytes (blocking).
    public func sendAll(_ bytes: [UInt8]) throws {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + off, bytes.count - off, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw UpstreamError.unreachable("send: \(String(cString: strerror(errno)))")
            }
            off += n
        }
    }

    /// Reads what is available (blocking); nil at end of stream, on error or timeout.
    public func readSome(max: Int = 64 * 1024) -> [UInt8]? {
        var buf = [UInt8](repeating: 0, count: max)
        while true {
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, max, 0) }
            if n > 0 { return Array(buf[0..<n]) }
            if n < 0 && errno == EINTR { continue }
            return nil
        }
    }

    /// Reads a response head (through the blank line); returns status, headers and any
    /// bytes after the head.
    public func readHead(limit: Int = 64 * 1024) throws -> (status: Int, headers: HTTPHeaders, rest: [UInt8]) {
        var buf: [UInt8] = []
        let end: Int
        while true {
            if let i = TunnelSocket.find([13, 10, 13, 10], in: buf) { end = i; break }
            if buf.count > limit { throw UpstreamError.unreachable("response head too large") }
            guard let more = readSome() else {
                if errno == EAGAIN || errno == EWOULDBLOCK { throw UpstreamError.timeout("no response head in time") }
                throw UpstreamError.unreachable("upstream closed before the response head")
            }
            buf += more
        }
        let text = String(decoding: buf[0..<end], as: UTF8.self)
        var lines = text.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else {
            throw UpstreamError.unreachable("invalid response head")
        }
        var headers = HTTPHeaders()
        for l in lines {
            guard let c = l.firstIndex(of: ":") else { continue }
            headers.add(String(l[..<c]), String(l[l.index(after: c)...].trimmingSpaces))
        }
        return (status, headers, Array(buf[(end + 4)...]))
    }

    static func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] {
            if Array(hay[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }

    /// Stops both directions (wakes a blocked reader); the descriptor stays open.
    public func shutdownBoth() { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }

    /// Closes the descriptor (once).
    public func close() {
        if !closed.exchange(true, ordering: .acquiringAndReleasing) { _ = Glibc.close(fd) }
    }

    /// Registers one more user; the last `release()` closes.
    func retain() { holders.add(1, ordering: .relaxed) }
    func release() { if holders.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { close() } }

    /// Runs blocking work on a global queue, not on an event loop.
    public static func offLoop<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { c in
            DispatchQueue.global().async { c.resume(with: Result { try body() }) }
        }
    }
}
