import Foundation
import Synchronization
import Testing
@testable import HTTPCore

@Suite(.serialized) struct ServerBehaviourTests {
    @Test func keepAliveServesManyRequestsOnOneConnection() async throws {
        let server = try TestServer(handler: TestServer.echo)
        let c = try RawClient(port: server.port)
        for i in 0..<50 {
            await c.send("GET /k\(i) HTTP/1.1\r\nHost: a\r\n\r\n")
            let r = await c.readResponse()
            #expect(r?.status == 200)
            #expect(r?.header("X-Path") == "/k\(i)")
        }
        #expect(server.server.connectionCount == 1)
        await server.stop()
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        // Handlers finish in reverse order of arrival; answers must still be in order.
        let server = try TestServer { req in
            let n = Int(req.path.dropFirst()) ?? 0
            try? await Task.sleep(for: .milliseconds(20 - n))
            return .text("r\(n)")
        }
        let c = try RawClient(port: server.port)
        await c.send((0..<10).map { "GET /\($0) HTTP/1.1\r\nHost: a\r\n\r\n" }.joined())
        for i in 0..<10 {
            #expect(await c.readResponse()?.text == "r\(i)")
        }
        await server.stop()
    }

    @Test func chunkedRequestBodyArrivesWhole() async throws {
        let server = try TestServer(handler: TestServer.echo)
        let c = try RawClient(port: server.port)
        var req = "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        var expected = ""
        for i in 0..<100 {
            let piece = String(repeating: Character(UnicodeScalar(65 + i % 26)!), count: i + 1)
            expected += piece
            req += String(piece.utf8.count, radix: 16) + "\r\n" + piece + "\r\n"
        }
        req += "0\r\n\r\n"
        // Send in small pieces so the body streams.
        let bytes = Array(req.utf8)
        for s in stride(from: 0, to: bytes.count, by: 97) {
            await c.send(Array(bytes[s..<min(s + 97, bytes.count)]))
        }
        let r = await c.readResponse()
        #expect(r?.status == 200)
        #expect(r?.text == expected)
        await server.stop()
    }

    @Test func streamedResponseIsChunkedAndComplete() async throws {
        let server = try TestServer { _ in
            HTTPResponse(status: .ok, headers: ["Content-Type": "text/event-stream"], body: .stream { w in
                for i in 0..<20 { try await w.write("data: \(i)\n\n") }
            })
        }
        let c = try RawClient(port: server.port)
        await c.send("GET /sse HTTP/1.1\r\nHost: a\r\n\r\n")
        let r = await c.readResponse()
        #expect(r?.header("Transfer-Encoding") == "chunked")
        #expect(r?.text == (0..<20).map { "data: \($0)\n\n" }.joined())
        // Keep-alive still works after a streamed response.
        await c.send("GET /again HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(await c.readResponse()?.status == 200)
        await server.stop()
    }

    @Test func largeStreamedResponseRespectsBackPressure() async throws {
        let chunk = [UInt8](repeating: 0x61, count: 64 * 1024)
        let server = try TestServer { _ in
            HTTPResponse(status: .ok, headers: ["Content-Length": String(chunk.count * 160)], body: .stream { w in
                for _ in 0..<160 { try await w.write(chunk) }
            })
        }
        let c = try RawClient(port: server.port)
        await c.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n")
        let r = await c.readResponse()
        #expect(r?.body.count == chunk.count * 160)
        #expect(r?.header("Transfer-Encoding") == nil)
        await server.stop()
    }

    @Test func headHasNoBodyButKeepsLength() async throws {
        let server = try TestServer { _ in .text("hello") }
        let c = try RawClient(port: server.port)
        await c.send("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n")
        let r = await c.readResponse(head: true)
        #expect(r?.header("Content-Length") == "5")
        await c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(await c.readResponse()?.text == "hello")  // no stray body bytes from the HEAD
        await server.stop()
    }

    @Test func expectContinueSendsInterimResponse() async throws {
        let server = try TestServer(handler: TestServer.echo)
        let c = try RawClient(port: server.port)
        await c.send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        let interim = await c.readResponse()
        #expect(interim?.status == 100)
        await c.send("hello")
        let r = await c.readResponse()
        #expect(r?.status == 200)
        #expect(r?.text == "hello")
        await server.stop()
    }

    @Test func http10ClosesUnlessKeepAlive() async throws {
        let server = try TestServer(handler: TestServer.echo)
        let a = try RawClient(port: server.port)
        await a.send("GET /x HTTP/1.0\r\n\r\n")
        #expect(await a.readResponse()?.status == 200)
        #expect(await a.isClosedByPeer())
        let b = try RawClient(port: server.port)
        await b.send("GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        let r = await b.readResponse()
        #expect(r?.header("Connection")?.lowercased() == "keep-alive")
        await b.send("GET /y HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(await b.readResponse()?.header("X-Path") == "/y")
        await server.stop()
    }

    @Test func connectionCloseIsHonoured() async throws {
        let server = try TestServer(handler: TestServer.echo)
        let c = try RawClient(port: server.port)
        await c.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        #expect(await c.readResponse()?.header("Connection") == "close")
        #expect(await c.isClosedByPeer())
        await server.stop()
    }

    /// A handler that answers before the request body has arrived (an early 404): the
    /// server cannot reuse the connection (the rest of the body is still to come), so the
    /// answer says `Connection: close` (a client that pooled it would send its next request
    /// on a connection about to close: a proxy then fails a request that cannot be retried).
    @Test func answerBeforeTheBodyEndsSaysConnectionClose() async throws {
        let server = try TestServer(handler: { _ in HTTPResponse(status: .notFound, contentType: "text/plain", body: Array("no".utf8)) })
        let c = try RawClient(port: server.port)
        await c.send("PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n")
        let answer = await c.readResponse()
        #expect(answer?.status == 404)
        #expect(answer?.header("Connection") == "close")
        #expect(await c.isClosedByPeer())
        // A body that came whole with the head keeps the connection.
        let d = try RawClient(port: server.port)
        await d.send("PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nab")
        #expect(await d.readResponse()?.header("Connection") == nil)
        await d.send("GET /y HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(await d.readResponse()?.status == 404)
        await server.stop()
    }

    @Test func slowlorisIsCutOffWhileOthersAreServed() async throws {
        let server = try TestServer(configure: { $0.headerReadTimeout = .seconds(1) }, handler: TestServer.echo)
        var stalled: [RawClient] = []
        for i in 0..<300 {
            let c = try RawClient(port: server.port)
            await c.send("GET /slow\(i) HTTP/1.1\r\nHost: a\r\nX-Trickle: ")
            stalled.append(c)
        }
        // A normal client is served at once despite 300 stalled connections.
        let normal = try RawClient(port: server.port)
        await normal.send("GET /fast HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(await normal.readResponse()?.header("X-Path") == "/fast")
        // The stalled ones are answered 408 and closed after the header timeout.
        var closed = 0
        for c in stalled.prefix(20) {
            let r = await c.readAll(timeout: 120)
            if r.closed && String(decoding: r.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 408") { closed += 1 }
        }
        #expect(closed == 20)
        await server.stop()
    }

    @Test func idleKeepAliveConnectionsAreClosed() async throws {
        let server = try TestServer(configure: { $0.idleTimeout = .seconds(1) }, handler: TestServer.echo)
        let c = try RawClient(port: server.port)
        await c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(await c.readResponse()?.status == 200)
        #expect(await c.isClosedByPeer(timeout: 120))
        await server.stop()
    }

    @Test func gracefulShutdownFinishesInFlightRequests() async throws {
        let release = Mutex(false)
        let server = try TestServer { _ in
            while !release.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(5)) }
            return .text("finished")
        }
        let busy = try RawClient(port: server.port)
        await busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
        let idle = try RawClient(port: server.port)
        await idle.send("GET /quick HTTP/1.1\r\nHost: a\r\n\r\n")
        // idle's request is also blocked by the handler; make a truly idle connection:
        let idle2 = try RawClient(port: server.port)
        try await Task.sleep(for: .milliseconds(100))
        let shutdown = Task { await server.server.shutdown(gracePeriod: .seconds(300)) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(await idle2.isClosedByPeer(timeout: 120))
        // New connections are refused once the listener is closed.
        release.withLock { $0 = true }
        let r = await busy.readResponse()
        #expect(r?.text == "finished")
        #expect(r?.header("Connection") == "close")
        #expect(await idle.readResponse()?.text == "finished")
        await shutdown.value
        #expect(server.server.connectionCount == 0)
        // The listener is closed. (Connecting to the port to show it is not a test: the
        // freed port may already belong to another test's server.)
        #expect(!server.server.isListening)
    }

    @Test func maxConnectionsIsEnforced() async throws {
        let server = try TestServer(configure: { $0.maxConnections = 5 }, handler: TestServer.echo)
        var clients: [RawClient] = []
        for _ in 0..<5 {
            let c = try RawClient(port: server.port)
            await c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(await c.readResponse()?.status == 200)
            clients.append(c)
        }
        let extra = try RawClient(port: server.port)
        await extra.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(await extra.isClosedByPeer())
        await server.stop()
    }

    @Test func upgradeHandsOverTheConnection() async throws {
        let server = try TestServer { _ in
            var r = HTTPResponse(status: HTTPStatus(101), headers: ["Upgrade": "echo", "Connection": "Upgrade"])
            r.upgrade = { conn in
                do {
                    for try await chunk in conn.inbound {
                        try await conn.outbound.write(chunk.map { $0 == 0x61 ? 0x41 : $0 })
                        if chunk.contains(0x21) { return }
                    }
                } catch {}
            }
            return r
        }
        let c = try RawClient(port: server.port)
        await c.send("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
        let head = await c.readResponse(head: true)
        #expect(head?.status == 101)
        await c.send("banana!")
        let rest = await c.readAll(timeout: 120)
        #expect(String(decoding: rest.bytes, as: UTF8.self) == "bAnAnA!")
        await server.stop()
    }

    @Test func ipv6LoopbackWorks() async throws {
        let server = try TestServer(configure: { $0.host = "::1" }, handler: TestServer.echo)
        let c = try RawClient(port: server.port, host: "::1")
        await c.send("GET /v6 HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(await c.readResponse()?.header("X-Path") == "/v6")
        await server.stop()
    }
}

@Suite struct TimeoutArithmeticTests {
    /// Timeouts are compared as `now > stamp &+ timeout`: a huge configured timeout must
    /// saturate instead of wrapping (a wrapped sum would read as already expired).
    @Test func hugeDurationsSaturate() {
        #expect(Duration.seconds(2).nanoseconds == 2_000_000_000)
        #expect(Duration.milliseconds(1500).nanoseconds == 1_500_000_000)
        #expect(Duration.seconds(-1).nanoseconds == 0)
        let huge = Duration.seconds(Int64.max).nanoseconds
        #expect(huge == 1 << 62)
        let stamp = Sys.now()
        #expect(!(stamp > stamp &+ huge))
        #expect(stamp &+ huge > stamp)
    }
}
