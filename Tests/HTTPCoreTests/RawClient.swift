import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import HTTPCore
import TestSupport

/// A blocking TCP client for protocol tests: sends exact bytes, reads raw answers.
/// Used from one thread at a time (hence unchecked). Async code calls the `async`
/// overloads (the compiler picks them there), which do the same on a thread of their own
/// (`TestSupport.blocking`): a test blocking a cooperative thread in `readResponse` can
/// starve a server that answers from a task on that pool (two threads on two cores).
/// The blocking ones are for work already off the pool, inside `TestSupport.blocking`.
final class RawClient: @unchecked Sendable {
    let fd: Int32

    init(port: Int, host: String = "127.0.0.1") throws {
        let addr = try SocketAddress.resolve(host: host, port: port)
        fd = socket(addr.family, Int32(SOCK_STREAM.rawValue), 0)
        let rc = addr.withSockAddr { connect(fd, $0, $1) }
        if rc != 0 { let e = SystemError("connect"); Glibc.close(fd); throw e }
        // A hang guard, not a speed assertion: a loaded machine can take seconds to answer.
        var tv = timeval(tv_sec: 120, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { Glibc.close(fd) }

    func send(_ s: String) { send(Array(s.utf8)) }

    func send(_ b: [UInt8]) {
        var off = 0
        while off < b.count {
            let n = b.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + off, b.count - off, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            off += n
        }
    }

    /// Reads until the peer closes (or the timeout): everything received, and whether it closed.
    func readAll(timeout: Int = 120) -> (bytes: [UInt8], closed: Bool) {
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buf, buf.count, 0)
            if n > 0 { out.append(contentsOf: buf[0..<n]) }
            else if n == 0 { return (out, true) }
            else { return (out, errno == ECONNRESET) }
        }
    }

    private var pending: [UInt8] = []

    /// Sends as much of `b` as the socket takes without waiting; how many bytes that was.
    func sendWithoutWaiting(_ b: [UInt8]) -> Int {
        var off = 0
        while off < b.count {
            let n = b.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + off, b.count - off, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
            if n <= 0 { break }
            off += n
        }
        return off
    }

    /// The next response if it has arrived whole (read without waiting), else nil.
    func takeArrivedResponse(head isHead: Bool) -> ParsedResponse? {
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            if let (r, used) = ParsedResponse.parse(pending, isHead: isHead) {
                pending.removeFirst(used)
                return r
            }
            let n = recv(fd, &buf, buf.count, Int32(MSG_DONTWAIT))
            if n <= 0 { return nil }  // nothing more yet, or the end: the waiting read sees which
            pending.append(contentsOf: buf[0..<n])
        }
    }

    /// Reads one response (Content-Length or chunked body; HEAD-aware).
    func readResponse(head isHead: Bool = false) -> ParsedResponse? {
        while true {
            if let (r, used) = ParsedResponse.parse(pending, isHead: isHead) {
                pending.removeFirst(used)
                return r
            }
            var buf = [UInt8](repeating: 0, count: 65536)
            let n = recv(fd, &buf, buf.count, 0)
            if n <= 0 { return nil }
            pending.append(contentsOf: buf[0..<n])
        }
    }

    /// Whether the server has closed the connection (reads EOF within the timeout).
    func isClosedByPeer(timeout: Int = 120) -> Bool {
        let r = readAll(timeout: timeout)
        return r.closed
    }
}

extension RawClient {
    /// `send`: what the socket takes at once is sent here, the rest (if any) off the
    /// cooperative pool.
    func send(_ s: String) async { await send(Array(s.utf8)) }

    /// `send`: what the socket takes at once is sent here, the rest (if any) off the
    /// cooperative pool.
    func send(_ b: [UInt8]) async {
        let sent = sendWithoutWaiting(b)
        guard sent < b.count else { return }
        let rest = Array(b[sent...])
        await TestSupport.blocking { self.send(rest) }
    }

    /// `readAll`, off the cooperative pool.
    func readAll(timeout: Int = 120) async -> (bytes: [UInt8], closed: Bool) {
        await TestSupport.blocking { self.readAll(timeout: timeout) }
    }

    /// `readResponse`: a response already arrived is taken here, else it is waited for
    /// off the cooperative pool. (A thread per read would crawl on a loaded machine.)
    func readResponse(head isHead: Bool = false) async -> ParsedResponse? {
        if let response = takeArrivedResponse(head: isHead) { return response }
        return await TestSupport.blocking { self.readResponse(head: isHead) }
    }

    /// `isClosedByPeer`, off the cooperative pool.
    func isClosedByPeer(timeout: Int = 120) async -> Bool {
        await TestSupport.blocking { self.isClosedByPeer(timeout: timeout) }
    }
}

/// A response parsed by the test client.
struct ParsedResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ n: String) -> String? { headers.first { $0.0.lowercased() == n.lowercased() }?.1 }

    static func parse(_ b: [UInt8], isHead: Bool) -> (ParsedResponse, Int)? {
        guard let end = find(b, [13, 10, 13, 10], from: 0) else { return nil }
        let head = String(decoding: b[0..<end], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let status = Int(lines.removeFirst().split(separator: " ")[1]) ?? 0
        let headers = lines.map { l -> (String, String) in
            let p = l.split(separator: ":", maxSplits: 1)
            return (String(p[0]), p.count > 1 ? String(p[1]).trimmingCharacters(in: .whitespaces) : "")
        }
        var r = ParsedResponse(status: status, headers: headers, body: [])
        var i = end + 4
        if isHead || status == 204 || status == 304 || (100..<200).contains(status) { return (r, i) }
        if let cl = r.header("Content-Length"), let n = Int(cl) {
            guard b.count >= i + n else { return nil }
            r.body = Array(b[i..<i + n])
            return (r, i + n)
        }
        if r.header("Transfer-Encoding")?.lowercased() == "chunked" {
            while true {
                guard let le = find(b, [13, 10], from: i) else { return nil }
                let size = Int(String(decoding: b[i..<le], as: UTF8.self).split(separator: ";")[0], radix: 16) ?? 0
                i = le + 2
                if size == 0 {
                    guard let te = find(b, [13, 10], from: i) else { return nil }
                    return (r, te + 2)
                }
                guard b.count >= i + size + 2 else { return nil }
                r.body.append(contentsOf: b[i..<i + size])
                i += size + 2
            }
        }
        return (r, b.count)
    }

    static func find(_ b: [UInt8], _ pat: [UInt8], from: Int) -> Int? {
        guard b.count >= pat.count else { return nil }
        var i = from
        while i + pat.count <= b.count {
            if b[i] == pat[0] && Array(b[i..<i + pat.count]) == pat { return i }
            i += 1
        }
        return nil
    }
}

/// A server on port 0 for a test, shut down by `stop()`.
struct TestServer {
    let server: HTTPServer
    var port: Int { server.port }

    init(configure: (inout HTTPServerConfiguration) -> Void = { _ in }, handler: @escaping HTTPHandler) throws {
        var c = HTTPServerConfiguration.testing()
        configure(&c)
        server = HTTPServer(configuration: c, handler: handler)
        try server.start()
    }

    func stop() async { await server.shutdown(gracePeriod: .seconds(2)) }

    /// Echo handler: method, path, and body back; `X-Body-Length`.
    static let echo: HTTPHandler = { req in
        let body = (try? await req.body.collect(upTo: 64 << 20)) ?? Array("BODY-ERROR".utf8)
        var r = HTTPResponse(status: .ok, contentType: "application/octet-stream", body: body)
        r.headers.add("X-Method", req.method.rawValue)
        r.headers.add("X-Path", req.target)
        r.headers.add("X-Body-Length", String(body.count))
        return r
    }
}
