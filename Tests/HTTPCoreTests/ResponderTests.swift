import Foundation
import Synchronization
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif
@testable import HTTPCore
import TestSupport

/// A responder made of a closure (the tests vary what it does with the sink).
struct ClosureResponder: HTTPResponder {
    let body: @Sendable (HTTPRequest, ResponseSink) -> Void
    init(_ body: @escaping @Sendable (HTTPRequest, ResponseSink) -> Void) { self.body = body }
    func respond(to request: HTTPRequest, replyingTo sink: ResponseSink) { body(request, sink) }
}

/// Answers inside `respond`, on the loop, before returning; records whether it ran on
/// the connection's loop thread.
final class SyncEchoResponder: HTTPResponder {
    let calls = Atomic<Int>(0)
    let offLoopCalls = Atomic<Int>(0)
    func respond(to request: HTTPRequest, replyingTo sink: ResponseSink) {
        calls.add(1, ordering: .relaxed)
        if !sink.loop.inLoop { offLoopCalls.add(1, ordering: .relaxed) }
        var r = HTTPResponse.text("sync \(request.target)")
        r.headers.add("X-Method", request.method.rawValue)
        sink.send(r)
    }
}

/// A server with `responder` on a free loopback port.
func startResponderServer(_ responder: any HTTPResponder,
                          configure: (inout HTTPServerConfiguration) -> Void = { _ in }) throws -> HTTPServer {
    var c = HTTPServerConfiguration.testing()
    configure(&c)
    let s = HTTPServer(configuration: c, responder: responder)
    try s.start()
    return s
}

/// Keeps the kernel from buffering much for a client that does not read yet, so a
/// large response stays partly unsent on the server.
func smallReceiveBuffer(_ fd: Int32) {
    var n: Int32 = 32 * 1024
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &n, socklen_t(4))
}

/// Resets the connection on close (RST instead of FIN).
func setLingerZero(_ fd: Int32) {
    var l = linger(l_onoff: 1, l_linger: 0)
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
}

@Suite("Responder", .serialized)
struct ResponderTests {
    @Test func synchronousAnswerInsideRespond() async throws {
        let responder = SyncEchoResponder()
        let server = try startResponderServer(responder)
        let c = try RawClient(port: server.port)
        await c.send("GET /one?x=1 HTTP/1.1\r\nHost: a\r\n\r\n")
        let r = await c.readResponse()
        #expect(r?.status == 200)
        #expect(r?.text == "sync /one?x=1")
        #expect(r?.header("X-Method") == "GET")
        #expect(r?.header("Content-Length") == "13")
        #expect(responder.calls.load(ordering: .relaxed) == 1)
        #expect(responder.offLoopCalls.load(ordering: .relaxed) == 0)
        await server.shutdown(gracePeriod: .seconds(2))
    }

    @Test func fiftyPipelinedRequestsAnsweredSynchronouslyInOrder() async throws {
        let responder = SyncEchoResponder()
        let server = try startResponderServer(responder)
        let c = try RawClient(port: server.port)
        // All 50 in one write: the server parses them in one `process()` pass, each
        // answered from inside `respond` (the re-entrancy guard's case).
        await c.send((0..<50).map { "GET /p\($0) HTTP/1.1\r\nHost: a\r\n\r\n" }.joined())
        var texts: [String] = []
        for _ in 0..<50 {
            guard let r = await c.readResponse() else { break }
            #expect(r.status == 200)
            texts.append(r.text)
        }
        #expect(texts == (0..<50).map { "sync /p\($0)" })
        // The connection is still usable, and it is the same one.
        await c.send("POST /after HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc")
        let after = await c.readResponse()
        #expect(after?.text == "sync /after")
        #expect(after?.header("X-Method") == "POST")
        #expect(responder.calls.load(ordering: .relaxed) == 51)
        #expect(server.connectionCount == 1)
        await server.shutdown(gracePeriod: .seconds(2))
    }

    @Test func answerLaterFromAnotherThread() async throws {
        let offLoop = Atomic<Int>(0)
        let responder = ClosureResponder { req, sink in
            // Answers from a dispatch queue (not the loop, not the cooperative pool),
            // later requests sooner than earlier ones.
            let n = Int(req.path.dropFirst()) ?? 0
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(5 * (5 - n))) {
                if !sink.loop.inLoop { offLoop.add(1, ordering: .relaxed) }
                sink.send(.text("later \(n)"))
            }
        }
        let server = try startResponderServer(responder)
        let c = try RawClient(port: server.port)
        await c.send((0..<5).map { "GET /\($0) HTTP/1.1\r\nHost: a\r\n\r\n" }.joined())
        for i in 0..<5 {
            #expect(await c.readResponse()?.text == "later \(i)")
        }
        #expect(offLoop.load(ordering: .relaxed) == 5)
        // And from a detached task.
        let detached = try startResponderServer(ClosureResponder { req, sink in
            Task.detached { sink.send(.text("detached \(req.target)")) }
        })
        let d = try RawClient(port: detached.port)
        // The answer needs a cooperative thread, so the blocking reads stay off the pool.
        let texts = await TestSupport.blocking {
            (0..<3).map { i -> String? in
                d.send("GET /d\(i) HTTP/1.1\r\nHost: a\r\n\r\n")
                return d.readResponse()?.text
            }
        }
        #expect(texts == (0..<3).map { "detached /d\($0)" })
        await server.shutdown(gracePeriod: .seconds(2))
        await detached.shutdown(gracePeriod: .seconds(2))
    }

    @Test func secondSendIsIgnored() async throws {
        let earlier = Mutex<ResponseSink?>(nil)
        let responder = ClosureResponder { req, sink in
            switch req.path {
            case "/twice":
                sink.send(.text("first"))
                sink.send(.text("second"))  // same request, already answered: dropped
                earlier.withLock { $0 = sink }
            case "/next":
                // A late answer to the previous request while this one is active:
                // its generation is stale, so it is dropped.
                earlier.withLock { $0 }?.send(.text("stale"))
                sink.send(.text("next"))
            default:
                sink.send(.text("other \(req.path)"))
            }
        }
        let server = try startResponderServer(responder)
        let c = try RawClient(port: server.port)
        await c.send("GET /twice HTTP/1.1\r\nHost: a\r\n\r\n")
        let first = await c.readResponse()
        #expect(first?.text == "first")
        await c.send("GET /next HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(await c.readResponse()?.text == "next")
        // Between requests (nothing active): dropped too.
        earlier.withLock { $0 }?.send(.text("idle-stale"))
        await c.send("GET /last HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(await c.readResponse()?.text == "other /last")
        // Nothing stray on the wire: the connection closes with no further bytes.
        await c.send("GET /close HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        let rest = await c.readAll()
        #expect(rest.closed)
        let text = String(decoding: rest.bytes, as: UTF8.self)
        #expect(text.hasSuffix("\r\n\r\nother /close"))
        #expect(text.components(separatedBy: "HTTP/1.1 ").count == 2)  // exactly one response
        await server.shutdown(gracePeriod: .seconds(2))
    }

    @Test func answerAfterTheClientResetIsDropped() async throws {
        let (sinks, cont) = AsyncStream.makeStream(of: ResponseSink.self)
        let server = try startResponderServer(ClosureResponder { req, sink in
            if req.path == "/hold" { cont.yield(sink) } else { sink.send(.text("fresh")) }
        })
        var c: RawClient? = try RawClient(port: server.port)
        await c?.send("GET /hold HTTP/1.1\r\nHost: a\r\n\r\n")
        var it = sinks.makeAsyncIterator()
        let held = try #require(await it.next())
        // Closed with RST: the server's recv fails and it closes the connection.
        if let fd = c?.fd { setLingerZero(fd) }
        c = nil
        _ = c
        #expect(await eventually { server.connectionCount == 0 })
        held.send(.text("too late"))                       // on no loop thread
        held.loop.execute { held.send(.text("again")) }    // on the loop
        // The server goes on serving.
        let n = try RawClient(port: server.port)
        await n.send("GET /new HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(await n.readResponse()?.text == "fresh")
        #expect(server.connectionCount == 1)
        cont.finish()
        await server.shutdown(gracePeriod: .seconds(2))
    }

    @Test func answerAfterTheClientHalfClosedClosesTheConnection() async throws {
        let (sinks, cont) = AsyncStream.makeStream(of: ResponseSink.self)
        let server = try startResponderServer(ClosureResponder { req, sink in
            if req.path == "/hold" { cont.yield(sink) } else { sink.send(.text("fresh")) }
        })
        let c = try RawClient(port: server.port)
        await c.send("GET /hold HTTP/1.1\r\nHost: a\r\n\r\n")
        var it = sinks.makeAsyncIterator()
        let held = try #require(await it.next())
        shutdown(c.fd, Int32(SHUT_WR))  // FIN: the request stays active until answered
        #expect(server.connectionCount == 1)
        held.send(.text("answer"))
        // The answer is delivered, then the connection closes.
        let r = await c.readResponse()
        #expect(r?.text == "answer")
        #expect(await eventually { server.connectionCount == 0 })
        let n = try RawClient(port: server.port)
        await n.send("GET /new HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(await n.readResponse()?.text == "fresh")
        cont.finish()
        await server.shutdown(gracePeriod: .seconds(2))
    }

    @Test func streamedResponseSentSynchronously() async throws {
        let server = try startResponderServer(ClosureResponder { req, sink in
            if req.path == "/stream" {
                sink.send(HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: .stream { w in
                    for i in 0..<10 { try await w.write("part \(i)\n") }
                }))
            } else {
                sink.send(.text("plain \(req.path)"))
            }
        })
        let c = try RawClient(port: server.port)
        await c.send("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n")
        let r = await c.readResponse()
        #expect(r?.status == 200)
        #expect(r?.header("Transfer-Encoding") == "chunked")
        #expect(r?.text == (0..<10).map { "part \($0)\n" }.joined())
        // A streamed answer followed by pipelined requests: each waits for the stream.
        await c.send("GET /stream HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\nGET /stream HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(await c.readResponse()?.text == (0..<10).map { "part \($0)\n" }.joined())
        #expect(await c.readResponse()?.text == "plain /x")
        #expect(await c.readResponse()?.text == (0..<10).map { "part \($0)\n" }.joined())
        #expect(server.connectionCount == 1)
        await server.shutdown(gracePeriod: .seconds(2))
    }

    /// Bodies big enough that the first response cannot be written out at once while
    /// the client is not reading (more than the socket buffers hold: see `smallReceiveBuffer`).
    static let bigSize = 16 << 20

    static func bigBody(_ tag: UInt8) -> [UInt8] {
        var b = [UInt8](repeating: tag, count: bigSize)
        for i in stride(from: 0, to: bigSize, by: 4096) { b[i] = UInt8(truncatingIfNeeded: i >> 12) }
        return b
    }

    /// The second answer is queued behind the first, which is still being written:
    /// bytes already sent must not be sent again. Synchronous responders hit this at
    /// once; async handlers when they answer before the first answer is flushed.
    @Test(arguments: [true, false])
    func pipelinedAnswerBehindALargeOneIsNotCorrupted(synchronous: Bool) async throws {
        let calls = Atomic<Int>(0)
        let a = ResponderTests.bigBody(0x61), b = [UInt8]("small answer".utf8)
        let answer: @Sendable (HTTPRequest) -> HTTPResponse = { req in
            calls.add(1, ordering: .relaxed)
            return HTTPResponse(status: .ok, contentType: "application/octet-stream", body: req.path == "/big" ? a : b)
        }
        let responder: any HTTPResponder = synchronous
            ? ClosureResponder { req, sink in sink.send(answer(req)) }
            : AsyncResponder { req in answer(req) }
        let server = try startResponderServer(responder)
        let c = try RawClient(port: server.port)
        smallReceiveBuffer(c.fd)
        await c.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\nGET /small HTTP/1.1\r\nHost: a\r\n\r\n")
        // Both are dispatched while the first answer is still being written.
        #expect(await eventually { calls.load(ordering: .relaxed) == 2 })
        let r1 = await c.readResponse()
        #expect(r1?.status == 200)
        #expect(r1?.body.count == a.count)
        let intact = r1?.body == a
        #expect(intact)
        let r2 = await c.readResponse()
        #expect(r2?.status == 200)
        #expect(r2?.text == "small answer")
        await c.send("GET /small HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(await c.readResponse()?.text == "small answer")
        await server.shutdown(gracePeriod: .seconds(2))
    }

    /// A server answering inside `respond` (without reading any body): `big` for
    /// `bigPath`, `x` otherwise; it records the paths it was asked for.
    final class PathLog: Sendable {
        private let paths = Mutex<[String]>([])
        func append(_ p: String) { paths.withLock { $0.append(p) } }
        func withLock<T>(_ body: ([String]) -> T) -> T { paths.withLock { body($0) } }
    }

    func pathRecordingServer(bigPath: String, big: [UInt8]) throws -> (HTTPServer, PathLog) {
        let paths = PathLog()
        let server = try startResponderServer(ClosureResponder { req, sink in
            paths.append(req.path)
            sink.send(HTTPResponse(status: .ok, contentType: "application/octet-stream", body: req.path == bigPath ? big : Array("x".utf8)))
        })
        return (server, paths)
    }

    @Test func noRequestIsProcessedAfterConnectionClose() async throws {
        let big = ResponderTests.bigBody(0x62)
        let (server, paths) = try pathRecordingServer(bigPath: "/big", big: big)
        let c = try RawClient(port: server.port)
        smallReceiveBuffer(c.fd)
        await c.send("GET /big HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /after-close HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(await eventually { paths.withLock { $0.count } >= 1 })
        let r = await c.readResponse()
        #expect(r?.body.count == big.count)
        #expect(r?.header("Connection") == "close")
        let rest = await c.readAll()
        #expect(rest.closed)
        #expect(rest.bytes.count == 0)
        #expect(paths.withLock { $0 } == ["/big"])
        await server.shutdown(gracePeriod: .seconds(2))
    }

    @Test func unreadBodyIsNotParsedAsRequests() async throws {
        let big = ResponderTests.bigBody(0x63)
        let (server, paths) = try pathRecordingServer(bigPath: "/upload", big: big)
        let c = try RawClient(port: server.port)
        smallReceiveBuffer(c.fd)
        // The body's first bytes look like a request; the body is not complete yet.
        let inner = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n"
        await c.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n" + inner)
        #expect(await eventually { paths.withLock { $0.count } >= 1 })
        let r = await c.readResponse()
        #expect(r?.body.count == big.count)
        let rest = await c.readAll()
        #expect(rest.closed)
        #expect(rest.bytes.count == 0)
        #expect(paths.withLock { $0 } == ["/upload"])
        await server.shutdown(gracePeriod: .seconds(2))
    }
}
