import Foundation
import Synchronization
import Testing
import TestSupport
@testable import HTTPCore

@Suite("ClientURL")
struct ClientURLTests {
    @Test func parsesHostPortPathQuery() throws {
        let u = try ClientURL.parse("http://example.com:8080/a/b?x=1#frag")
        #expect(u.host == "example.com" && u.port == 8080 && u.target == "/a/b?x=1")
        #expect(u.hostHeader == "example.com:8080")
        let d = try ClientURL.parse("http://h")
        #expect(d.port == 80 && d.target == "/" && d.hostHeader == "h")
        let q = try ClientURL.parse("http://h?q")
        #expect(q.target == "/?q")
        let v6 = try ClientURL.parse("http://[::1]:9000/x")
        #expect(v6.host == "::1" && v6.isIPv6 && v6.port == 9000 && v6.authority == "[::1]:9000")
        let tls = try ClientURL.parse("HTTPS://example.com/x")
        #expect(tls.isTLS && tls.port == 443 && tls.hostHeader == "example.com" && tls.poolKey == "https://example.com:443")
        let tlsPort = try ClientURL.parse("https://127.0.0.1:8443")
        #expect(tlsPort.hostHeader == "127.0.0.1:8443" && tlsPort.target == "/")
        #expect(try ClientURL.parse("http://example.com:443/").hostHeader == "example.com:443")
        #expect(!d.isTLS && d.poolKey == "h:80")
    }

    @Test func rejectsBadURLs() {
        for bad in ["https://", "httpsx://x/", "ftp://x", "http://", "http://:80/", "http://h:0/", "http://h:70000/", "http://h:x/",
                    "http://u@h/", "http://[::1/", "http://h/a b", "example.com/x"] {
            #expect(throws: HTTPClientError.self) { try ClientURL.parse(bad) }
        }
    }
}

@Suite("Client", .serialized)
struct ClientTests {
    @Test func getAndPostRoundTrip() async throws {
        let server = try startServer { req in
            let body = (try? await req.body.collect(upTo: 1 << 20)) ?? []
            return .text("\(req.method) \(req.target) \(req.headers["Host"] ?? "-") \(String(decoding: body, as: UTF8.self))")
        }
        defer { Task { await server.shutdown() } }
        let client = HTTPClient(configuration: .testing())
        let r1 = try await client.get("http://127.0.0.1:\(server.port)/hello?x=1")
        #expect(r1.status == .ok)
        #expect(r1.version == .http1_1)
        #expect(r1.headers["Content-Type"] == "text/plain; charset=utf-8")
        #expect(String(decoding: try await r1.body.collect(upTo: 1000), as: UTF8.self) == "GET /hello?x=1 127.0.0.1:\(server.port) ")
        let r2 = try await client.post("http://127.0.0.1:\(server.port)/echo", body: Array("payload".utf8))
        #expect(String(decoding: try await r2.body.collect(upTo: 1000), as: UTF8.self) == "POST /echo 127.0.0.1:\(server.port) payload")
        await client.shutdown()
    }

    @Test func ipv6Loopback() async throws {
        let server = HTTPServer(configuration: .testing(host: "::1")) { _ in .text("six") }
        do { try server.start() } catch { return }  // no IPv6 here
        defer { Task { await server.shutdown() } }
        let client = HTTPClient(configuration: .testing())
        let r = try await client.get("http://[::1]:\(server.port)/")
        #expect(String(decoding: try await r.body.collect(upTo: 100), as: UTF8.self) == "six")
        await client.shutdown()
    }

    @Test func keepAliveReusesOneConnection() async throws {
        let peers = PeerSet()
        let server = try startServer { req in peers.add(req.remoteAddress); return .text("ok") }
        defer { Task { await server.shutdown() } }
        let client = HTTPClient(configuration: .testing())
        for _ in 0..<10 {
            let r = try await client.get("http://127.0.0.1:\(server.port)/")
            #expect(try await r.body.collect(upTo: 10) == Array("ok".utf8))
        }
        #expect(peers.count == 1)
        #expect(server.connectionCount == 1)
        let stats = client.poolStats(host: "127.0.0.1", port: server.port)
        #expect(stats?.open == 1 && stats?.idle == 1)
        await client.shutdown()
    }

    @Test func twoHundredConcurrentRequestsRespectTheCap() async throws {
        let peers = PeerSet()
        let inFlight = Atomic<Int>(0)
        let maxInFlight = Atomic<Int>(0)
        let server = try startServer { req in
            peers.add(req.remoteAddress)
            let n = inFlight.add(1, ordering: .relaxed).newValue
            _ = maxInFlight.max(n, ordering: .relaxed)
            await Task.yield()
            inFlight.subtract(1, ordering: .relaxed)
            return .text(req.target)
        }
        defer { Task { await server.shutdown() } }
        var config = HTTPClientConfiguration.testing()
        config.maxConnectionsPerHost = 8
        let client = HTTPClient(configuration: config)
        let port = server.port
        let ok = try await withThrowingTaskGroup(of: Bool.self) { g in
            for i in 0..<200 {
                g.addTask {
                    let r = try await client.get("http://127.0.0.1:\(port)/r\(i)")
                    let b = try await r.body.collect(upTo: 100)
                    return r.status == .ok && b == Array("/r\(i)".utf8)
                }
            }
            var n = 0
            for try await b in g where b { n += 1 }
            return n
        }
        #expect(ok == 200)
        #expect(peers.count <= 8)
        #expect(maxInFlight.load(ordering: .relaxed) <= 8)
        let stats = try #require(client.poolStats(host: "127.0.0.1", port: port))
        #expect(stats.maxOpen <= 8 && stats.maxOpen >= 1)
        await client.shutdown()
    }

    @Test func chunkedResponseInTinySplits() async throws {
        let raw = try RawServer { c, _ in
            c.readRequest()
            let msg = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: b\r\n\r\n5\r\nhello\r\n1;ext=1\r\n \r\nA\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n"
            for b in msg.utf8 { c.write([b]); usleep(200) }
            c.waitForClose()
        }
        defer { raw.stop() }
        let client = HTTPClient(configuration: .testing())
        let r = try await client.get(raw.url + "/")
        #expect(r.headers["X-A"] == "b")
        #expect(String(decoding: try await r.body.collect(upTo: 100), as: UTF8.self) == "hello 0123456789")
        await client.shutdown()
    }

    @Test func streamedUploadArrivesIntact() async throws {
        let server = try startServer { req in
            let body = (try? await req.body.collect(upTo: 1 << 24)) ?? []
            var sum: UInt64 = 0
            for b in body { sum = sum &* 31 &+ UInt64(b) }
            return .text("\(req.headers["Transfer-Encoding"] ?? "-") \(body.count) \(sum)")
        }
        defer { Task { await server.shutdown() } }
        let loop = EventLoopGroup.shared.next()
        let stream = BodyStream(loop: loop)
        var expected: [UInt8] = []
        var pieces: [[UInt8]] = []
        for i in 0..<50 {
            let p = [UInt8]((0..<(1000 + i * 97)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ i) })
            pieces.append(p)
            expected.append(contentsOf: p)
        }
        var sum: UInt64 = 0
        for b in expected { sum = sum &* 31 &+ UInt64(b) }
        let toSend = pieces
        Task {
            for p in toSend {
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in loop.execute { stream.push(p); c.resume() } }
                await Task.yield()
            }
            loop.execute { stream.finish() }
        }
        let client = HTTPClient(configuration: .testing())
        let req = HTTPClientRequest(method: .PUT, url: "http://127.0.0.1:\(server.port)/up", body: .stream(RequestBody(storage: .stream(stream))))
        let r = try await client.execute(req)
        #expect(String(decoding: try await r.body.collect(upTo: 1000), as: UTF8.self) == "chunked \(expected.count) \(sum)")
        await client.shutdown()
    }

    @Test func largeBodyStreamsWithBackPressure() async throws {
        let total = 10 * 1024 * 1024
        let written = Atomic<Int>(0)
        let server = try startServer { _ in
            HTTPResponse(status: .ok, headers: ["Content-Length": "\(total)"], body: .stream { w in
                let chunk = [UInt8]((0..<65536).map { UInt8(truncatingIfNeeded: $0 % 251) })
                var sent = 0
                while sent < total {
                    try await w.write(chunk)
                    sent += chunk.count
                    written.store(sent, ordering: .relaxed)
                }
            })
        }
        defer { Task { await server.shutdown() } }
        var config = HTTPClientConfiguration.testing()
        config.bodyHighWater = 64 * 1024
        let client = HTTPClient(configuration: config)
        let r = try await client.get("http://127.0.0.1:\(server.port)/big")
        var it = r.body.makeAsyncIterator()
        var received = try await it.next()?.count ?? 0
        // Wait until the server stops making progress while we do not read.
        var last = -1
        var stable = 0
        for _ in 0..<400 where stable < 5 {
            try await Task.sleep(for: .milliseconds(10))
            let w = written.load(ordering: .relaxed)
            if w == last { stable += 1 } else { stable = 0; last = w }
        }
        #expect(written.load(ordering: .relaxed) < total, "the server wrote everything although nobody read")
        var ok = true
        var offset = received
        while let c = try await it.next() {
            for (k, b) in c.enumerated() where b != UInt8(truncatingIfNeeded: ((offset + k) % 65536) % 251) { ok = false; break }
            offset += c.count
            received += c.count
        }
        #expect(received == total)
        #expect(ok)
        await client.shutdown()
    }

    @Test func headAnd204HaveNoBodyAndKeepTheConnection() async throws {
        let peers = PeerSet()
        let server = try startServer { req in
            peers.add(req.remoteAddress)
            if req.target == "/none" { return HTTPResponse(status: .noContent) }
            return .text("twelve bytes")
        }
        defer { Task { await server.shutdown() } }
        let client = HTTPClient(configuration: .testing())
        let url = "http://127.0.0.1:\(server.port)"
        let h = try await client.execute(HTTPClientRequest(method: .HEAD, url: url + "/x"))
        #expect(h.status == .ok)
        #expect(h.headers["Content-Length"] == "12")
        #expect(try await h.body.collect(upTo: 100).isEmpty)
        let n = try await client.get(url + "/none")
        #expect(n.status == .noContent)
        #expect(try await n.body.collect(upTo: 100).isEmpty)
        let g = try await client.get(url + "/x")
        #expect(try await g.body.collect(upTo: 100) == Array("twelve bytes".utf8))
        #expect(peers.count == 1)
        await client.shutdown()
    }

    @Test func connectionCloseIsNotReused() async throws {
        let raw = try RawServer { c, _ in
            guard c.readRequest() != nil else { return }
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        }
        defer { raw.stop() }
        let client = HTTPClient(configuration: .testing())
        for _ in 0..<3 {
            let r = try await client.get(raw.url + "/")
            #expect(try await r.body.collect(upTo: 10) == Array("ok".utf8))
        }
        #expect(raw.accepted.load(ordering: .relaxed) == 3)
        await client.shutdown()
    }

    @Test func http10ResponsesAndEmptyReason() async throws {
        let raw = try RawServer { c, _ in
            guard c.readRequest() != nil else { return }
            // HTTP/1.0, no length: the body runs until close; empty reason phrase.
            c.write("HTTP/1.0 201 \r\nX-Y: z\r\n\r\nuntil close")
        }
        defer { raw.stop() }
        let client = HTTPClient(configuration: .testing())
        let r = try await client.get(raw.url + "/")
        #expect(r.status == .created && r.reason == "" && r.version == .http1_0)
        #expect(String(decoding: try await r.body.collect(upTo: 100), as: UTF8.self) == "until close")
        let r2 = try await client.get(raw.url + "/")
        #expect(String(decoding: try await r2.body.collect(upTo: 100), as: UTF8.self) == "until close")
        #expect(raw.accepted.load(ordering: .relaxed) == 2)
        await client.shutdown()
    }

    @Test func interim100ContinueIsSkipped() async throws {
        let raw = try RawServer { c, _ in
            while c.readRequest() != nil {
                c.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nreal")
            }
        }
        defer { raw.stop() }
        let client = HTTPClient(configuration: .testing())
        for _ in 0..<2 {
            let r = try await client.post(raw.url + "/", body: Array("x".utf8))
            #expect(r.status == .ok)
            #expect(try await r.body.collect(upTo: 10) == Array("real".utf8))
        }
        #expect(raw.accepted.load(ordering: .relaxed) == 1)
        await client.shutdown()
    }

    /// The first connection answers once, then closes on the next request without answering.
    private func staleServer() throws -> RawServer {
        try RawServer { c, index in
            if index == 0 {
                guard c.readRequest() != nil else { return }
                c.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst")
                _ = c.readRequest()
                return  // closes without a response
            }
            while c.readRequest() != nil { c.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh") }
        }
    }

    @Test func staleConnectionIsRetriedForGET() async throws {
        let raw = try staleServer()
        defer { raw.stop() }
        let client = HTTPClient(configuration: .testing())
        let r1 = try await client.get(raw.url + "/")
        #expect(try await r1.body.collect(upTo: 10) == Array("first".utf8))
        let r2 = try await client.get(raw.url + "/")
        #expect(try await r2.body.collect(upTo: 10) == Array("fresh".utf8))
        #expect(raw.accepted.load(ordering: .relaxed) == 2)
        await client.shutdown()
    }

    @Test func staleConnectionIsNotRetriedForPOST() async throws {
        let raw = try staleServer()
        defer { raw.stop() }
        let client = HTTPClient(configuration: .testing())
        let r1 = try await client.get(raw.url + "/")
        #expect(try await r1.body.collect(upTo: 10) == Array("first".utf8))
        #expect(await expectClientError(.remoteClosed) { _ = try await client.post(raw.url + "/", body: [1, 2, 3]) })
        #expect(raw.accepted.load(ordering: .relaxed) == 1)
        await client.shutdown()
    }

    @Test func connectionRefused() async throws {
        // A port bound by a socket that never listens (no other test can take it meanwhile).
        let refusing = TestSupport.RefusingPort()
        defer { refusing.release() }  // (also keeps it alive until the end)
        let port = refusing.port
        let client = HTTPClient(configuration: .testing())
        #expect(await expectClientError(.connectionRefused) { _ = try await client.get("http://127.0.0.1:\(port)/") })
        // The failed attempt released its slot.
        #expect(client.poolStats(host: "127.0.0.1", port: port)?.open == 0)
        await client.shutdown()
    }

    @Test func readTimeoutAndTotalTimeout() async throws {
        let raw = try RawServer { c, _ in
            _ = c.readRequest()
            c.waitForClose()  // never answers
        }
        defer { raw.stop() }
        var config = HTTPClientConfiguration.testing()
        config.readTimeout = .milliseconds(300)
        let client = HTTPClient(configuration: config)
        #expect(await expectClientError(.readTimeout) { _ = try await client.get(raw.url + "/") })
        config.readTimeout = .seconds(30)
        let client2 = HTTPClient(configuration: config)
        #expect(await expectClientError(.timeout) { _ = try await client2.get(raw.url + "/", timeout: .milliseconds(300)) })
        await client.shutdown()
        await client2.shutdown()
    }

    @Test func invalidResponsesThrow() async throws {
        let replies = [
            "HTTP/2 200 OK\r\n\r\n",
            "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n",
            "garbage\r\n\r\n",
            "HTTP/1.1 200 OK\r\nBad Header: x\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            "HTTP/1.1 200 OK\nContent-Length: 0\n\n",
        ]
        for reply in replies {
            let raw = try RawServer { c, _ in
                guard c.readRequest() != nil else { return }
                c.write(reply)
                c.waitForClose()
            }
            defer { raw.stop() }
            let client = HTTPClient(configuration: .testing())
            #expect(await expectInvalidResponse { _ = try await client.get(raw.url + "/") }, "\(reply)")
            await client.shutdown()
        }
        // A bad chunk size after the head: the body stream fails.
        let raw = try RawServer { c, _ in
            guard c.readRequest() != nil else { return }
            c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            usleep(20_000)
            c.write("5\r\nhello\r\nzz\r\n")
            c.waitForClose()
        }
        defer { raw.stop() }
        let client = HTTPClient(configuration: .testing())
        #expect(await expectInvalidResponse {
            let r = try await client.get(raw.url + "/")
            _ = try await r.body.collect(upTo: 100)
        })
        #expect(client.poolStats(host: "127.0.0.1", port: raw.port)?.open == 0)
        await client.shutdown()
    }

    @Test func truncatedBodyFails() async throws {
        let raw = try RawServer { c, _ in
            guard c.readRequest() != nil else { return }
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort")
        }
        defer { raw.stop() }
        let client = HTTPClient(configuration: .testing())
        #expect(await expectClientError(.remoteClosed) {
            let r = try await client.get(raw.url + "/")
            _ = try await r.body.collect(upTo: 1000)
        })
        await client.shutdown()
    }

    @Test func abandonedBodyClosesTheConnection() async throws {
        let peers = PeerSet()
        let server = try startServer { req in
            peers.add(req.remoteAddress)
            if req.target == "/small" { return .text("s") }
            return HTTPResponse(status: .ok, body: .stream { w in
                let chunk = [UInt8](repeating: 65, count: 65536)
                for _ in 0..<200 { try await w.write(chunk) }
            })
        }
        defer { Task { await server.shutdown() } }
        var config = HTTPClientConfiguration.testing()
        config.bodyHighWater = 64 * 1024
        let client = HTTPClient(configuration: config)
        let url = "http://127.0.0.1:\(server.port)"
        do {
            let r = try await client.get(url + "/big")
            var it = r.body.makeAsyncIterator()
            #expect(try await it.next() != nil)
        }  // the response is dropped here, mid-body
        var open = -1
        for _ in 0..<500 {
            open = client.poolStats(host: "127.0.0.1", port: server.port)?.open ?? -1
            if open == 0 { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(open == 0)
        let r = try await client.get(url + "/small")
        #expect(try await r.body.collect(upTo: 10) == Array("s".utf8))
        #expect(peers.count == 2)
        await client.shutdown()
    }

    @Test func idleConnectionsTimeOut() async throws {
        let server = try startServer { _ in .text("x") }
        defer { Task { await server.shutdown() } }
        var config = HTTPClientConfiguration.testing()
        config.idleTimeout = .milliseconds(200)
        let client = HTTPClient(configuration: config)
        _ = try await client.get("http://127.0.0.1:\(server.port)/").body.collect(upTo: 10)
        #expect(client.poolStats(host: "127.0.0.1", port: server.port)?.idle == 1)
        #expect(await eventually(polling: .milliseconds(10)) { client.poolStats(host: "127.0.0.1", port: server.port)?.open == 0 })
        // A later request opens a new connection and works.
        #expect(try await client.get("http://127.0.0.1:\(server.port)/").body.collect(upTo: 10) == Array("x".utf8))
        await client.shutdown()
    }

    @Test func shutdownRefusesNewRequests() async throws {
        let server = try startServer { _ in .text("x") }
        defer { Task { await server.shutdown() } }
        let client = HTTPClient(configuration: .testing())
        _ = try await client.get("http://127.0.0.1:\(server.port)/").body.collect(upTo: 10)
        await client.shutdown()
        // A new pool is made after shutdown of the old ones; the idle connection was closed.
        #expect(await eventually(polling: .milliseconds(5)) { server.connectionCount == 0 })
    }
}

@Suite("ClientSSE")
struct ClientSSETests {
    static let stream = "retry: 1500\n: comment\n\nevent: delta\ndata: {\"a\":1}\nid: 7\n\ndata: line1\r\ndata: line2\r\n\r\ndata:no-space\rdata\r\rdata: tail-without-blank"

    static let expected = [
        SSEEvent(event: "delta", data: "{\"a\":1}", id: "7"),
        SSEEvent(event: "message", data: "line1\nline2", id: "7"),
        SSEEvent(event: "message", data: "no-space\n", id: "7"),
    ]

    @Test func parserHandlesEverySplit() {
        let bytes = Array(ClientSSETests.stream.utf8)
        for split in 0...bytes.count {
            var p = SSEParser()
            var events = p.feed(bytes[0..<split])
            events += p.feed(bytes[split...])
            events += p.finish()
            #expect(events == ClientSSETests.expected, "split at \(split)")
        }
        var p = SSEParser()
        var events: [SSEEvent] = []
        for b in bytes { events += p.feed([b]) }
        #expect(events == ClientSSETests.expected)
    }

    @Test func retryIsReported() {
        var p = SSEParser()
        let e = p.feed(Array("retry: 3000\ndata: x\n\n".utf8))
        #expect(e == [SSEEvent(data: "x", retry: 3000)])
    }

    @Test func eventsArriveOverHTTPAcrossChunks() async throws {
        let server = try startServer { _ in
            HTTPResponse(status: .ok, headers: ["Content-Type": "text/event-stream"], body: .stream { w in
                try await w.write("event: start\nda")
                try await w.write("ta: hel")
                try await w.write("lo\n\ndata: a\nda")
                try await w.write("ta: b\n")
                try await w.write("\n")
                try await w.write("data: [DONE]\n\n")
            })
        }
        defer { Task { await server.shutdown() } }
        let client = HTTPClient(configuration: .testing())
        let r = try await client.get("http://127.0.0.1:\(server.port)/sse")
        var got: [SSEEvent] = []
        for try await e in r.serverSentEvents { got.append(e) }
        #expect(got == [SSEEvent(event: "start", data: "hello"), SSEEvent(data: "a\nb"), SSEEvent(data: "[DONE]")])
        await client.shutdown()
    }
}
