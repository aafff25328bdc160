import AuthGateway
import Contracts
import Foundation
import HTTPCore
import ServiceKit
import Synchronization
import Testing
import TestSupport


/// Local upstream that echoes what it received, plus slow, held, large and SSE routes.
final class EchoUpstream: Sendable {
    let server: HTTPServer
    let gate = TestGate()
    /// What `…/held` requests wait on.
    let held = TestGate()
    var url: String { "http://127.0.0.1:\(server.port)" }
    /// The body of `…/big`: 300 kB, more than the gateway passes back whole.
    static let bigBody: [UInt8] = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }

    init() throws {
        let gate = self.gate, held = self.held
        var conf = HTTPServerConfiguration.testing()
        conf.limits.maxBodyBytes = 64 * 1024 * 1024
        server = HTTPServer(configuration: conf) { req in
            switch req.path {
            case let p where p.hasSuffix("/slow"):
                // Far beyond the read timeout the test sets, whatever the machine's load.
                try? await Task.sleep(for: .seconds(60))
                return HTTPResponse(status: .ok, contentType: "text/plain", body: Array("late".utf8))
            case let p where p.hasSuffix("/held"):
                await held.wait()
                return HTTPResponse.text("released")
            case let p where p.hasSuffix("/big"):
                return HTTPResponse(status: .ok, headers: ["Content-Type": "application/octet-stream"], body: .bytes(EchoUpstream.bigBody))
            case let p where p.hasSuffix("/echo"):
                guard let body = try? await req.body.collect(upTo: 64 * 1024 * 1024) else { return HTTPResponse(status: 400) }
                return HTTPResponse(status: .ok, headers: ["Content-Type": "application/octet-stream", "X-Received": String(body.count)], body: .stream { w in
                    var i = 0
                    while i < body.count {
                        let end = min(body.count, i + 100_000)
                        try await w.write(Array(body[i..<end]))
                        i = end
                    }
                })
            case let p where p.hasSuffix("/events"):
                return HTTPResponse(status: .ok, headers: ["Content-Type": "text/event-stream", "Cache-Control": "no-cache"], body: .stream { w in
                    try await w.write("data: first\n\n")
                    await gate.wait()
                    try await w.write("data: second\n\n")
                })
            case "/ws":
                let user = req.headers["X-User-Name"] ?? "?"
                let forged = req.headers.values("X-User-Roles").joined(separator: ";")
                return HTTPResponse.webSocketOrRefusal(upgrading: req) { socket in
                    try await socket.send(text: "hello \(user) roles=\(forged) target=\(req.target)")
                    for await message in socket.messages {
                        switch message {
                        case .text("bye"): return
                        case .text(let text): try await socket.send(text: "echo:" + text)
                        case .binary(let bytes): try await socket.send(binary: bytes)
                        }
                    }
                }
            case "/ws/refused":
                return HTTPResponse.text("upstream says no", status: .forbidden)
            case "/health":
                return HTTPResponse(status: .ok, contentType: "application/json", body: Array(#"{"status":"ok"}"#.utf8))
            default:
                var lines = "\(req.method) \(req.target)\n"
                for (n, v) in req.headers { lines += "\(n.lowercased()): \(v)\n" }
                return HTTPResponse(status: .ok, contentType: "text/plain", body: Array(lines.utf8))
            }
        }
        try server.start()
    }

    func stop() async { await server.shutdown(gracePeriod: .milliseconds(100)) }
}

/// The gateway served on a real socket in front of one echo upstream for every service.
final class LiveGateway: Sendable {
    let upstream: EchoUpstream
    let t: TestGateway
    let server: HTTPServer
    let client = HTTPClient(configuration: .testing())
    var url: String { "http://127.0.0.1:\(server.port)" }

    init(env: [String: String] = [:], down: Bool = false) async throws {
        upstream = try EchoUpstream()
        var e = env
        let target = down ? "http://127.0.0.1:1" : upstream.url
        for k in ["PREDICTOR_URL", "TASK_MANAGER_URL", "AIBRIDGE_URL", "ORCHESTRATOR_URL", "CODE_RUNNER_URL"] where e[k] == nil { e[k] = target }
        // Health checks and connects that succeed take their time on a loaded machine:
        // the defaults (2 s) are for production, where a slow upstream is a degraded one.
        for k in ["HEALTH_TIMEOUT_MS", "UPSTREAM_CONNECT_TIMEOUT_MS"] where e[k] == nil { e[k] = "120000" }
        for k in ["PREDICTOR_TIMEOUT_S", "TASK_MANAGER_TIMEOUT_S", "AIBRIDGE_TIMEOUT_S", "CODE_RUNNER_TIMEOUT_S",
                  "ORCHESTRATOR_TIMEOUT_S"] where e[k] == nil { e[k] = "300" }
        t = try await TestGateway.make(env: e)
        var conf = HTTPServerConfiguration.testing()
        conf.limits.maxBodyBytes = 64 * 1024 * 1024
        server = HTTPServer(configuration: conf, responder: t.app)
        try server.start()
    }

    func get(_ path: String, _ headers: HTTPHeaders) async throws -> (HTTPClientResponse, String) {
        let r = try await client.execute(HTTPClientRequest(method: .GET, url: url + path, headers: headers))
        let body = try await r.body.collect(upTo: 1 << 20)
        return (r, String(decoding: body, as: UTF8.self))
    }

    func close() async {
        await client.shutdown()
        await server.shutdown(gracePeriod: .milliseconds(100))
        await upstream.stop()
        await t.close()
    }
}

@Suite("proxy over real sockets")
struct ProxySocketTests {
    @Test func pingAndSessionOverTheWire() async throws {
        let g = try await LiveGateway()
        let key = try await g.t.user("alice")
        let (p, pong) = try await g.get("/ping", [:])
        #expect(p.status.code == 200 && pong == "pong")
        let (s, sid) = try await g.get("/session", ["API-Key": key])
        #expect(s.status.code == 200 && sid.count == 43)
        let (r, echoed) = try await g.get("/api/tasks?a=1", ["Session-ID": sid])
        #expect(r.status.code == 200)
        #expect(echoed.hasPrefix("GET /api/tasks?a=1\n"))
        await g.close()
    }

    @Test func identityHeadersFromTheClientNeverReachUpstream() async throws {
        let g = try await LiveGateway(env: ["INTERNAL_TOKEN": "wire-secret"])
        let key = try await g.t.user("alice", roles: ["user"])
        let (r, echoed) = try await g.get("/api/whoami", [
            "API-Key": key, "X-User-Id": "1000", "X-User-Name": "mallory", "X-User-Roles": "admin",
            "X-Internal-Token": "forged", "Connection": "X-Drop-Me", "X-Drop-Me": "1",
        ])
        #expect(r.status.code == 200)
        let lines = echoed.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("x-user-id:") } == ["x-user-id: 1"])
        #expect(lines.filter { $0.hasPrefix("x-user-name:") } == ["x-user-name: alice"])
        #expect(lines.filter { $0.hasPrefix("x-user-roles:") } == ["x-user-roles: user"])
        #expect(lines.filter { $0.hasPrefix("x-internal-token:") } == ["x-internal-token: wire-secret"])
        #expect(!echoed.contains("mallory") && !echoed.contains("forged") && !echoed.contains(key))
        #expect(!echoed.contains("x-drop-me"))
        #expect(lines.contains { $0.hasPrefix("x-forwarded-for: 127.0.0.1") })
        #expect(lines.contains { $0.hasPrefix("x-request-id: ") })
        await g.close()
    }

    @Test func orchestratorPrefixIsStrippedOverTheWire() async throws {
        let g = try await LiveGateway()
        let key = try await g.t.user("alice", roles: ["compute"])
        let basic = "Basic " + Data("alice:\(key)".utf8).base64EncodedString()
        let (r, echoed) = try await g.get("/orchestrator/jobs/9?x=y", ["Authorization": basic])
        #expect(r.status.code == 200)
        #expect(echoed.hasPrefix("GET /jobs/9?x=y\n"))
        #expect(!echoed.lowercased().contains("authorization"))
        let (challenge, _) = try await g.get("/orchestrator/jobs", [:])
        #expect(challenge.status.code == 401)
        #expect(challenge.headers["WWW-Authenticate"] == "Basic realm=\"morpheo\"")
        await g.close()
    }

    @Test func upstreamDownIs502() async throws {
        let g = try await LiveGateway(down: true)
        let key = try await g.t.user("alice")
        let (r, body) = try await g.get("/api/tasks", ["API-Key": key])
        #expect(r.status.code == 502)
        #expect(body.contains("\"code\":502"))
        let (h, health) = try await g.get("/health", [:])
        #expect(h.status.code == 503)
        #expect(health.contains("\"degraded\""))
        await g.close()
    }

    @Test func slowUpstreamIs504() async throws {
        let g = try await LiveGateway(env: ["TASK_MANAGER_TIMEOUT_S": "0.3"])
        let key = try await g.t.user("alice")
        let (r, body) = try await g.get("/api/slow", ["API-Key": key])
        #expect(r.status.code == 504)
        #expect(body.contains("\"code\":504"))
        await g.close()
    }

    @Test func fiveMegabytesBothWaysIntact() async throws {
        let g = try await LiveGateway()
        let key = try await g.t.user("alice")
        var payload = [UInt8](repeating: 0, count: 5 * 1024 * 1024)
        var x: UInt32 = 2463534242
        for i in payload.indices { x ^= x << 13; x ^= x >> 17; x ^= x << 5; payload[i] = UInt8(truncatingIfNeeded: x) }
        let r = try await g.client.execute(HTTPClientRequest(method: .POST, url: g.url + "/api/echo", headers: ["API-Key": key, "Content-Type": "application/octet-stream"], body: .bytes(payload)))
        #expect(r.status.code == 200)
        #expect(r.headers["X-Received"] == String(payload.count))
        let back = try await r.body.collect(upTo: 16 * 1024 * 1024)
        #expect(back.count == payload.count)
        // Compared outside `#expect`: on a mismatch it would diff megabytes for minutes.
        let intact = back == payload
        #expect(intact, "the body came back altered")
        await g.close()
    }

    @Test func sseArrivesEventByEvent() async throws {
        let g = try await LiveGateway()
        let key = try await g.t.user("alice")
        let r = try await g.client.execute(HTTPClientRequest(method: .GET, url: g.url + "/api/v2/aibridge/events", headers: ["API-Key": key]))
        #expect(r.status.code == 200)
        #expect(r.headers["Content-Type"] == "text/event-stream")
        var it = r.body.makeAsyncIterator()
        var got: [UInt8] = []
        // The first event arrives while the upstream is still holding back the second.
        while !String(decoding: got, as: UTF8.self).contains("\n\n"), let chunk = try await it.next() { got += chunk }
        #expect(String(decoding: got, as: UTF8.self) == "data: first\n\n")
        g.upstream.gate.open()
        while let chunk = try await it.next() { got += chunk }
        #expect(String(decoding: got, as: UTF8.self) == "data: first\n\ndata: second\n\n")
        await g.close()
    }

    @Test func healthyWhenEveryUpstreamAnswers() async throws {
        let g = try await LiveGateway()
        let (h, body) = try await g.get("/health", [:])
        #expect(h.status.code == 200)
        #expect(body == #"{"status":"healthy"}"#)
        await g.close()
    }
}

@Suite("proxy over real sockets: methods")
struct ProxyMethodTests {
    @Test func headAndPostWithQueryPassThrough() async throws {
        let g = try await LiveGateway()
        let key = try await g.t.user("alice")
        let head = try await g.client.execute(HTTPClientRequest(method: .HEAD, url: g.url + "/code/x", headers: ["API-Key": key]))
        #expect(head.status.code == 200)
        _ = try await head.body.collect(upTo: 1 << 20)
        let post = try await g.client.execute(HTTPClientRequest(method: .POST, url: g.url + "/predict?model=small",
                                                                headers: ["API-Key": key, "Content-Type": "application/x-www-form-urlencoded"],
                                                                body: .bytes(Array("current_file=def%20f()".utf8))))
        let text = String(decoding: try await post.body.collect(upTo: 1 << 20), as: UTF8.self)
        #expect(post.status.code == 200)
        #expect(text.hasPrefix("POST /predict?model=small\n"))
        #expect(text.contains("content-length: 22"))
        await g.close()
    }
}

