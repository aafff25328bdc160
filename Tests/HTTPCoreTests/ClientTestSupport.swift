import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
@testable import HTTPCore
import TestSupport

/// A scripted TCP server for odd responses: each accepted connection runs `handler`
/// on its own thread with blocking I/O.
final class RawServer: @unchecked Sendable {
    let fd: Int32
    let port: Int
    let accepted = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)

    init(_ handler: @escaping @Sendable (RawConn, Int) -> Void) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(4))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(fd, 64)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = Int(UInt16(bigEndian: addr.sin_port))
        _ = len
        startAccepting(handler)
    }

    private func startAccepting(_ handler: @escaping @Sendable (RawConn, Int) -> Void) {
        let lfd = fd
        let t = Thread { [self] in
            while !stopped.load(ordering: .relaxed) {
                let c = accept(lfd, nil, nil)
                if c < 0 { if errno == EINTR { continue }; return }
                var one: Int32 = 1
                setsockopt(c, Int32(IPPROTO_TCP), 1, &one, socklen_t(4))
                let index = accepted.add(1, ordering: .relaxed).oldValue
                let conn = RawConn(fd: c)
                Thread { handler(conn, index); conn.close() }.start()
            }
        }
        t.start()
    }

    var url: String { "http://127.0.0.1:\(port)" }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
    }
}

/// One blocking connection of a `RawServer`.
final class RawConn: @unchecked Sendable {
    let fd: Int32
    private var buf: [UInt8] = []
    private var closed = false
    init(fd: Int32) { self.fd = fd }

    /// Reads one request head (and a Content-Length body); nil at EOF.
    @discardableResult
    func readRequest() -> String? {
        while true {
            if let r = findHeadEnd() {
                let head = String(decoding: buf[0..<r], as: UTF8.self)
                buf.removeFirst(r)
                var bodyLen = 0
                for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                    bodyLen = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
                }
                while buf.count < bodyLen { if !fill() { return nil } }
                buf.removeFirst(bodyLen)
                return head
            }
            if !fill() { return nil }
        }
    }

    private func findHeadEnd() -> Int? {
        guard buf.count >= 4 else { return nil }
        for i in 0...(buf.count - 4) where buf[i] == 13 && buf[i + 1] == 10 && buf[i + 2] == 13 && buf[i + 3] == 10 { return i + 4 }
        return nil
    }

    private func fill() -> Bool {
        var tmp = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &tmp, tmp.count, 0)
        if n <= 0 { return false }
        buf.append(contentsOf: tmp[0..<n])
        return true
    }

    func write(_ s: String) { write(Array(s.utf8)) }
    func write(_ b: [UInt8]) {
        var off = 0
        while off < b.count {
            let n = b[off...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            off += n
        }
    }

    /// Blocks until the peer closes (or sends something).
    func waitForClose() { var b = [UInt8](repeating: 0, count: 1024); while recv(fd, &b, 1024, 0) > 0 {} }

    func close() { if !closed { closed = true; Glibc.close(fd) } }
}

/// Starts an `HTTPServer` on a free port.
func startServer(_ handler: @escaping HTTPHandler) throws -> HTTPServer {
    let s = HTTPServer(configuration: .testing(), handler: handler)
    try s.start()
    return s
}

/// Records the distinct remote addresses seen by a handler (one per connection).
final class PeerSet: Sendable {
    private let peers = Mutex<Set<String>>([])
    func add(_ p: String) { peers.withLock { _ = $0.insert(p) } }
    var count: Int { peers.withLock { $0.count } }
}

/// Expects `body` to throw exactly `expected`.
func expectClientError(_ expected: HTTPClientError, _ body: () async throws -> Void) async -> Bool {
    do {
        try await body()
        return false
    } catch let e as HTTPClientError {
        return e == expected
    } catch {
        return false
    }
}

/// Expects `body` to throw some `.invalidResponse`.
func expectInvalidResponse(_ body: () async throws -> Void) async -> Bool {
    do {
        try await body()
        return false
    } catch let e as HTTPClientError {
        if case .invalidResponse = e { return true }
        return false
    } catch {
        return false
    }
}
