import Testing
import TestSupport
@testable import HTTPCore

/// Each malformed or smuggling-shaped request gets its status and the connection closed.
@Suite(.serialized) struct MalformedRequestTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let raw: String
        let status: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "CL and TE together", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400),
        Case(name: "TE then CL", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n", status: 400),
        Case(name: "conflicting Content-Lengths", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde", status: 400),
        Case(name: "conflicting CL list", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4, 5\r\n\r\nabcde", status: 400),
        Case(name: "negative Content-Length", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", status: 400),
        Case(name: "Content-Length with plus", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +4\r\n\r\nabcd", status: 400),
        Case(name: "Content-Length hex", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x4\r\n\r\nabcd", status: 400),
        Case(name: "huge Content-Length", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", status: 400),
        Case(name: "obs-fold", raw: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", status: 400),
        Case(name: "space before colon", raw: "GET / HTTP/1.1\r\nHost: a\r\nX-A : b\r\n\r\n", status: 400),
        Case(name: "space before colon on TE", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n", status: 400),
        Case(name: "bare LF line ending", raw: "GET / HTTP/1.1\nHost: a\n\n", status: 400),
        Case(name: "bare CR in header", raw: "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n", status: 400),
        Case(name: "NUL in header value", raw: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{0}c\r\n\r\n", status: 400),
        Case(name: "control char in value", raw: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{1}c\r\n\r\n", status: 400),
        Case(name: "invalid token in name", raw: "GET / HTTP/1.1\r\nHost: a\r\nX(A): b\r\n\r\n", status: 400),
        Case(name: "invalid method char", raw: "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        Case(name: "method longer than 32 bytes", raw: "M0900001XXXX" + String(repeating: "X", count: 21) + " /ping HTTP/1.1\r\nHost: a\r\n\r\n", status: 501),
        Case(name: "double space in request line", raw: "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        Case(name: "space in target", raw: "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        Case(name: "missing version", raw: "GET /\r\nHost: a\r\n\r\n", status: 400),
        Case(name: "lowercase version", raw: "GET / http/1.1\r\nHost: a\r\n\r\n", status: 400),
        Case(name: "HTTP/2.0 on HTTP/1 connection", raw: "GET / HTTP/2.0\r\nHost: a\r\n\r\n", status: 505),
        Case(name: "missing Host in 1.1", raw: "GET / HTTP/1.1\r\nX: y\r\n\r\n", status: 400),
        Case(name: "two Host headers", raw: "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", status: 400),
        Case(name: "unknown transfer coding", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", status: 501),
        Case(name: "chunked not last", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", status: 501),
        Case(name: "chunked twice", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", status: 400),
        Case(name: "TE in HTTP/1.0", raw: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400),
        Case(name: "TE with vertical tab", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \u{0B}chunked\r\n\r\n0\r\n\r\n", status: 400),
        Case(name: "bad chunk size", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", status: 400),
        Case(name: "chunk size with 0x", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n0\r\n\r\n", status: 400),
        Case(name: "chunk size overflow", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n", status: 400),
        Case(name: "chunk data without CRLF", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n", status: 400),
        Case(name: "chunk size bare LF", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n", status: 400),
        Case(name: "unsupported Expect", raw: "POST / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\na", status: 417),
        Case(name: "request line too long", raw: "GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: a\r\n\r\n", status: 414),
        Case(name: "header section too large", raw: "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + String(repeating: "b", count: 40000) + "\r\n\r\n", status: 431),
        Case(name: "too many headers", raw: "GET / HTTP/1.1\r\nHost: a\r\n" + (0..<150).map { "X-\($0): v\r\n" }.joined() + "\r\n", status: 431),
        Case(name: "body too large", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 20000000\r\n\r\n", status: 413),
        Case(name: "asterisk with GET", raw: "GET * HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        Case(name: "authority form", raw: "GET example.com:80 HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
    ]

    @Test(arguments: cases)
    func rejectedAndClosed(_ c: Case) async throws {
        let server = try TestServer(handler: TestServer.echo)
        defer { Task { await server.stop() } }
        let client = try RawClient(port: server.port)
        await client.send(c.raw)
        let response = await client.readResponse()
        #expect(response?.status == c.status, "\(c.name)")
        #expect(response?.header("Connection")?.lowercased() == "close")
        #expect(await client.isClosedByPeer(), "connection must be closed after \(c.name)")
        await server.stop()
    }

    @Test func smugglingAttemptNeverReachesHandlerTwice() async throws {
        // A CL.TE attempt: the hidden second request must not be executed.
        let seen = Counter()
        let server = try TestServer { req in
            await seen.add(req.target)
            return .text("ok")
        }
        let client = try RawClient(port: server.port)
        await client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 44\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nHost: a\r\n\r\n")
        let r = await client.readResponse()
        #expect(r?.status == 400)
        #expect(await client.isClosedByPeer())
        #expect(await seen.values.isEmpty)
        await server.stop()
    }

    @Test func randomGarbageNeverCrashesAndIsAnsweredOrClosed() async throws {
        let server = try TestServer(handler: TestServer.echo)
        var rng = SplitMix(seed: 42)
        for _ in 0..<60 {
            let n = Int(rng.next() % 300) + 1
            var bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            bytes += Array("\r\n\r\n".utf8)
            let client = try RawClient(port: server.port)
            await client.send(bytes)
            let r = await client.readAll(timeout: 120)
            #expect(r.closed)
            let text = String(decoding: r.bytes, as: UTF8.self)
            #expect(text.isEmpty || text.hasPrefix("HTTP/1.1 4") || text.hasPrefix("HTTP/1.1 5"))
        }
        // Still serving.
        let ok = try RawClient(port: server.port)
        await ok.send("GET /alive HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(await ok.readResponse()?.status == 200)
        await server.stop()
    }
}

actor Counter {
    var values: [String] = []
    func add(_ s: String) { values.append(s) }
}
