import Foundation
import Synchronization
import Testing
import TestSupport
@testable import HTTPCore

/// Counts completion calls.
final class CallCounter: Sendable {
    private let n = Atomic<Int>(0)
    func add() { n.add(1, ordering: .relaxed) }
    var value: Int { n.load(ordering: .relaxed) }
}

/// The completion-style exchange: `HTTPClient.endpoint(_:)` and `send(...)`.
@Suite("ClientSend", .serialized)
struct ClientSendTests {
    /// `send` bridged into async; counts completions in `calls` when given.
    func send(_ client: HTTPClient, _ target: String, method: HTTPMethod = .GET, headers: HTTPHeaders = HTTPHeaders(),
              body: HTTPClientRequest.Body = .bytes([]), to endpoint: HTTPClient.Endpoint, timeout: Duration? = nil,
              calls: CallCounter? = nil) async -> Result<HTTPClientResponse, HTTPClientError> {
        await withCheckedContinuation { (c: CheckedContinuation<Result<HTTPClientResponse, HTTPClientError>, Never>) in
            client.send(method, target, headers: headers, body: body, to: endpoint, timeout: timeout) { result in
                calls?.add()
                c.resume(returning: result)
            }
        }
    }

    /// The response's body as text (the connection goes back to the pool after it).
    func text(_ r: HTTPClientResponse) async throws -> String {
        String(decoding: try await r.body.collect(upTo: 1 << 20), as: UTF8.self)
    }

    static let echo: HTTPHandler = { req in
        let body = (try? await req.body.collect(upTo: 1 << 20)) ?? []
        var r = HTTPResponse.text("\(req.method) \(req.target) \(req.headers["Host"] ?? "-") \(String(decoding: body, as: UTF8.self))")
        r.headers.add("X-Seen-Test", req.headers["X-Test"] ?? "-")
        r.headers.add("X-Remote", req.remoteAddress)
        return r
    }

    @Test func successDeliversStatusHeadersAndBody() async throws {
        let server = try startServer(ClientSendTests.echo)
        let client = HTTPClient(configuration: .testing())
        let calls = CallCounter()
        let endpoint = try client.endpoint("http://127.0.0.1:\(server.port)")
        let r = try await send(client, "/items?q=1", method: .POST, headers: ["X-Test": "yes"], body: .bytes(Array("payload".utf8)),
                               to: endpoint, calls: calls).get()
        #expect(r.status == .ok)
        #expect(r.version == .http1_1)
        #expect(r.headers["Content-Type"] == "text/plain; charset=utf-8")
        #expect(r.headers["X-Seen-Test"] == "yes")
        #expect(try await text(r) == "POST /items?q=1 127.0.0.1:\(server.port) payload")
        // A GET without a body, and a non-200 status passed through as is.
        let g = try await send(client, "/g", to: endpoint, calls: calls).get()
        #expect(try await text(g) == "GET /g 127.0.0.1:\(server.port) ")
        #expect(calls.value == 2)
        await client.shutdown()
        await server.shutdown()
    }

    @Test func statusOtherThanOKIsAResponseNotAnError() async throws {
        let server = try startServer { _ in .text("gone", status: .notFound) }
        let client = HTTPClient(configuration: .testing())
        let endpoint = try client.endpoint("http://127.0.0.1:\(server.port)")
        let r = try await send(client, "/missing", to: endpoint).get()
        #expect(r.status == .notFound)
        #expect(try await text(r) == "gone")
        await client.shutdown()
        await server.shutdown()
    }

    @Test func completionRunsOnTheCallersLoop() async throws {
        let server = try startServer(ClientSendTests.echo)
        let client = HTTPClient(configuration: .testing())
        let endpoint = try client.endpoint("http://127.0.0.1:\(server.port)")
        let loop = EventLoopGroup.shared.loops[EventLoopGroup.shared.loops.count - 1]
        let (result, onThatLoop) = await withCheckedContinuation { (c: CheckedContinuation<(Result<HTTPClientResponse, HTTPClientError>, Bool), Never>) in
            loop.execute {
                client.send(.GET, "/from-loop", headers: HTTPHeaders(), to: endpoint) { r in c.resume(returning: (r, loop.inLoop)) }
            }
        }
        #expect(onThatLoop)
        let r = try result.get()
        #expect(try await text(r) == "GET /from-loop 127.0.0.1:\(server.port) ")
        // From outside any loop, the completion still runs on a loop thread.
        let (second, onSomeLoop) = await withCheckedContinuation { (c: CheckedContinuation<(Result<HTTPClientResponse, HTTPClientError>, Bool), Never>) in
            DispatchQueue.global().async {
                client.send(.GET, "/from-queue", headers: HTTPHeaders(), to: endpoint) { r in
                    c.resume(returning: (r, EventLoopGroup.shared.loops.contains { $0.inLoop }))
                }
            }
        }
        #expect(onSomeLoop)
        #expect(try await text(second.get()) == "GET /from-queue 127.0.0.1:\(server.port) ")
        await client.shutdown()
        await server.shutdown()
    }

    @Test func keepAliveReusesOneConnectionAndSharesThePoolWithExecute() async throws {
        let peers = PeerSet()
        let server = try startServer { req in peers.add(req.remoteAddress); return .text("ok \(req.target)") }
        let client = HTTPClient(configuration: .testing())
        // The endpoint ignores a path: targets are given per request.
        let endpoint = try client.endpoint("http://127.0.0.1:\(server.port)/ignored/path")
        for i in 0..<10 {
            let r = try await send(client, "/k\(i)", to: endpoint).get()
            #expect(try await text(r) == "ok /k\(i)")
        }
        #expect(peers.count == 1)
        #expect(server.connectionCount == 1)
        let stats = client.poolStats(host: "127.0.0.1", port: server.port)
        #expect(stats?.open == 1 && stats?.idle == 1 && stats?.maxOpen == 1)
        // `execute` goes through the same pool and connection.
        let e = try await client.get("http://127.0.0.1:\(server.port)/via-execute")
        #expect(try await text(e) == "ok /via-execute")
        #expect(peers.count == 1)
        #expect(client.poolStats(host: "127.0.0.1", port: server.port)?.open == 1)
        await client.shutdown()
        await server.shutdown()
    }

    @Test func invalidEndpointURLThrows() async {
        let client = HTTPClient(configuration: .testing())
        for bad in ["ftp://x", "httpx://127.0.0.1:1/", "http://", "http://h:0", "127.0.0.1:8080", "http://u@h/"] {
            #expect(throws: HTTPClientError.invalidURL(bad)) { try client.endpoint(bad) }
        }
        await client.shutdown()
    }

    @Test func invalidTargetOrHeaderCompletesWithInvalidRequest() async throws {
        let server = try startServer(ClientSendTests.echo)
        let client = HTTPClient(configuration: .testing())
        let endpoint = try client.endpoint("http://127.0.0.1:\(server.port)")
        let calls = CallCounter()
        for target in ["nope", "", "/a b", "http://127.0.0.1/x", "/tab\there", "/caf\u{E9}"] {
            let r = await send(client, target, to: endpoint, calls: calls)
            guard case .failure(.invalidRequest) = r else {
                Issue.record("target \(target.debugDescription): expected .invalidRequest, got \(r)")
                continue
            }
        }
        let badHeader = await send(client, "/ok", headers: ["X-Bad": "a\r\nInjected: 1"], to: endpoint, calls: calls)
        guard case .failure(.invalidRequest) = badHeader else {
            Issue.record("header with CRLF: expected .invalidRequest, got \(badHeader)")
            return
        }
        #expect(calls.value == 7)
        // Nothing was sent: no connection was opened.
        #expect(client.poolStats(host: "127.0.0.1", port: server.port)?.maxOpen == 0)
        #expect(server.requestsServed.load(ordering: .relaxed) == 0)
        // The endpoint still works for a valid request.
        let ok = try await send(client, "/fine", to: endpoint).get()
        #expect(try await text(ok) == "GET /fine 127.0.0.1:\(server.port) ")
        await client.shutdown()
        await server.shutdown()
    }

    @Test func connectionRefusedCompletesWithConnectionRefused() async throws {
        let client = HTTPClient(configuration: .testing())
        let refusing = TestSupport.RefusingPort()
        defer { refusing.release() }  // (also keeps it alive until the end)
        let port = refusing.port
        let endpoint = try client.endpoint("http://127.0.0.1:\(port)")
        let r = await send(client, "/x", to: endpoint)
        guard case .failure(let e) = r else {
            Issue.record("expected a failure, got \(r)")
            return
        }
        #expect(e == .connectionRefused)
        // The failed connection gave its slot back.
        #expect(client.poolStats(host: "127.0.0.1", port: port)?.open == 0)
        await client.shutdown()
    }

    @Test func cappedPoolServesTwentyConcurrentSendsThroughWaiters() async throws {
        let peers = PeerSet()
        let server = try startServer { req in
            peers.add(req.remoteAddress)
            await Task.yield()
            return .text("r \(req.target)")
        }
        var config = HTTPClientConfiguration.testing()
        config.maxConnectionsPerHost = 1
        let client = HTTPClient(configuration: config)
        let endpoint = try client.endpoint("http://127.0.0.1:\(server.port)")
        let calls = CallCounter()
        let answers = await withTaskGroup(of: String?.self) { g in
            for i in 0..<20 {
                g.addTask {
                    guard case .success(let r) = await self.send(client, "/w\(i)", to: endpoint, calls: calls) else { return nil }
                    return try? await self.text(r)
                }
            }
            var out: [String] = []
            for await a in g { if let a { out.append(a) } }
            return out
        }
        #expect(answers.count == 20)
        #expect(Set(answers) == Set((0..<20).map { "r /w\($0)" }))
        #expect(calls.value == 20)
        let stats = try #require(client.poolStats(host: "127.0.0.1", port: server.port))
        #expect(stats.maxOpen == 1)
        #expect(peers.count == 1)
        await client.shutdown()
        await server.shutdown()
    }

    /// A client capped at one connection whose only connection is held by `/hold` until
    /// `open` yields; the server answers `done <path>`.
    func busyPoolOfOne() async throws -> (HTTPServer, HTTPClient, HTTPClient.Endpoint,
                                         Task<Result<HTTPClientResponse, HTTPClientError>, Never>,
                                         AsyncStream<Void>.Continuation) {
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let server = try startServer { req in
            if req.path == "/hold" { for await _ in gate { break } }
            return .text("done \(req.path)")
        }
        var config = HTTPClientConfiguration.testing()
        config.maxConnectionsPerHost = 1
        let client = HTTPClient(configuration: config)
        let endpoint = try client.endpoint("http://127.0.0.1:\(server.port)")
        let held = Task { await self.send(client, "/hold", to: endpoint) }
        #expect(await eventually { server.requestsServed.load(ordering: .relaxed) == 1 })
        return (server, client, endpoint, held, open)
    }

    @Test func queuedSendTimesOutWhileTheOnlyConnectionIsBusy() async throws {
        let (server, client, endpoint, held, open) = try await busyPoolOfOne()
        // The pool's one connection is busy: this one waits, then its deadline fails it.
        let queued = await send(client, "/queued", to: endpoint, timeout: .milliseconds(100))
        guard case .failure(let e) = queued else {
            Issue.record("expected a timeout, got \(queued)")
            open.finish()
            return
        }
        #expect(e == .timeout)
        open.yield()
        let first = try await held.value.get()
        #expect(try await text(first) == "done /hold")
        // The connection is free again for the next caller.
        let next = try await send(client, "/after", to: endpoint).get()
        #expect(try await text(next) == "done /after")
        #expect(client.poolStats(host: "127.0.0.1", port: server.port)?.maxOpen == 1)
        open.finish()
        await client.shutdown()
        await server.shutdown()
    }

    @Test func queuedSendFailsWithShutdown() async throws {
        let (server, client, endpoint, held, open) = try await busyPoolOfOne()
        // The only connection is busy: when `send` returns, this request is queued.
        let (results, delivered) = AsyncStream.makeStream(of: Result<HTTPClientResponse, HTTPClientError>.self)
        client.send(.GET, "/queued", headers: HTTPHeaders(), to: endpoint) { delivered.yield($0) }
        await client.shutdown()
        var it = results.makeAsyncIterator()
        let q = await it.next()
        guard case .failure(let e)? = q else {
            Issue.record("expected .shutdown, got \(String(describing: q))")
            open.finish()
            return
        }
        #expect(e == .shutdown)
        // The busy exchange still completes.
        open.yield()
        open.finish()
        let first = try await held.value.get()
        #expect(try await text(first) == "done /hold")
        // After shutdown, a send fails at once.
        let after = await send(client, "/late", to: endpoint)
        guard case .failure(.shutdown) = after else {
            Issue.record("expected .shutdown after shutdown, got \(after)")
            return
        }
        await server.shutdown()
    }
}

@Suite struct PrepareHeadTests {
    func head(_ headers: HTTPHeaders, body: HTTPClientRequest.Body = .bytes([]), method: HTTPMethod = .GET) throws -> (String, PreparedRequest) {
        let p = try HTTPClient.prepare(method, target: "/p?q=1", headers: headers, body: body, hostHeader: Array("up:81".utf8))
        return (String(decoding: p.head, as: UTF8.self), p)
    }

    /// Names and values are validated while they are copied; framing headers the caller
    /// set are replaced by the client's own; `Host` defaults to the endpoint's.
    @Test func framingHeadersAreReplacedAndOthersKeptInOrder() throws {
        let (h, p) = try head(["X-A": "1", "Content-Length": "99", "Transfer-Encoding": "chunked", "X-B": "two words"],
                              body: .bytes(Array("hello".utf8)), method: .POST)
        #expect(h == "POST /p?q=1 HTTP/1.1\r\nX-A: 1\r\nX-B: two words\r\nHost: up:81\r\nContent-Length: 5\r\n\r\n")
        #expect(!p.wantsClose && !p.chunkedUpload)
        let (h2, p2) = try head(["Host": "given", "Connection": "keep-alive, close"])
        #expect(h2 == "GET /p?q=1 HTTP/1.1\r\nHost: given\r\nConnection: keep-alive, close\r\n\r\n")
        #expect(p2.wantsClose)
        let (h3, p3) = try head(["Content-Length": "12"], body: .stream(.empty), method: .PUT)
        #expect(h3 == "PUT /p?q=1 HTTP/1.1\r\nHost: up:81\r\nContent-Length: 12\r\n\r\n")
        #expect(!p3.chunkedUpload)
    }

    @Test func invalidNamesAndValuesAreRefusedWithoutPartialOutput() throws {
        for bad: HTTPHeaders in [["Bad Name": "x"], ["": "x"], ["X-Ok": "a\r\nInjected: 1"], ["X-Ok": "nul\u{0}"]] {
            #expect(throws: HTTPClientError.self) { _ = try head(bad) }
        }
        // A refused field leaves the lines as they were; later fields still go in.
        var lines = HeaderLines()
        try lines.add("X-A", "1")
        #expect(throws: HTTPClientError.self) { try lines.add("X-B", "a\nInjected: 1") }
        #expect(throws: HTTPClientError.self) { try lines.add("X:B", "1") }
        try lines.add("X-C", "3")
        #expect(String(decoding: lines.bytes, as: UTF8.self) == "X-A: 1\r\nX-C: 3\r\n")
    }

    /// Lines composed in pieces (a block made once appended to per-request fields) give
    /// the same head as the field list, and read back as the same fields.
    @Test func headerLinesComposeAndReadBack() throws {
        var identity = HeaderLines()
        try identity.add("X-User-Id", "7")
        try identity.add("X-User-Roles", "user,compute")
        var lines = HeaderLines(capacity: 64)
        try lines.add("Accept", "*/*")
        try lines.add("Content-Length", " 12 ")
        try lines.add("X-Empty", "")
        lines.append(identity)
        #expect(lines.contentLength == 12 && !lines.hasHost && !lines.wantsClose)
        let p = try HTTPClient.prepare(.PUT, target: "/u", lines: lines, body: .stream(.empty), hostHeader: Array("up:81".utf8))
        let fromFields = try HTTPClient.prepare(.PUT, target: "/u", headers: lines.headers, body: .stream(.empty), hostHeader: Array("up:81".utf8))
        #expect(String(decoding: p.head, as: UTF8.self)
                == "PUT /u HTTP/1.1\r\nAccept: */*\r\nX-Empty: \r\nX-User-Id: 7\r\nX-User-Roles: user,compute\r\nHost: up:81\r\nContent-Length: 12\r\n\r\n")
        #expect(p.head == fromFields.head)
        #expect(lines.headers.fields.map { "\($0.name)=\($0.value)" }
                == ["Accept=*/*", "X-Empty=", "X-User-Id=7", "X-User-Roles=user,compute", "Content-Length=12"])
        // A length that is not one is not used: the streamed body goes chunked.
        var bad = HeaderLines()
        try bad.add("Content-Length", "-1")
        #expect(bad.contentLength == nil)
        #expect(try HTTPClient.prepare(.PUT, target: "/u", lines: bad, body: .stream(.empty), hostHeader: []).chunkedUpload)
    }
}
