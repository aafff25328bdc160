import AuthGateway
import Contracts
import Foundation
import HTTPCore
import ServiceKit
import Testing
import TestSupport

@Suite("credentials, routing and headers (in-process upstream)")
struct CredentialTests {
    func setup(_ env: [String: String] = [:]) async throws -> (TestGateway, RecordingTransport, String) {
        let rec = RecordingTransport()
        let t = try await TestGateway.make(env: env, transport: rec)
        let key = try await t.user("alice", roles: ["user", "compute"])
        return (t, rec, key)
    }

    @Test func eachCredentialFormIsAccepted() async throws {
        let (t, rec, key) = try await setup()
        let sid = await t.session(key)
        let basic = "Basic " + Data("alice:\(key)".utf8).base64EncodedString()
        let forms: [(String, HTTPHeaders)] = [
            ("Session-ID", ["Session-ID": sid]),
            ("Bearer session", ["Authorization": "Bearer \(sid)"]),
            ("Bearer key", ["Authorization": "Bearer \(key)"]),
            ("Coder-Session-Token", ["Coder-Session-Token": sid]),
            ("API-Key", ["API-Key": key]),
            ("Basic", ["Authorization": basic]),
        ]
        for (name, headers) in forms {
            let r = await t.app.call(.GET, "/api/tasks", headers: headers)
            #expect(r.status == 200, "\(name)")
            #expect(r.text == "task-manager /api/tasks", "\(name)")
        }
        #expect(rec.requests.count == forms.count)
        for (req, _) in rec.requests { #expect(req.headers[IdentityHeaders.userName] == "alice") }
        await t.close()
    }

    @Test func badCredentialsOfEachForm() async throws {
        let (t, rec, key) = try await setup()
        try await t.user("bob")
        let wrongUser = "Basic " + Data("bob:\(key)".utf8).base64EncodedString()
        for headers: HTTPHeaders in [["Session-ID": "nope"], ["Authorization": "Bearer \(Secrets.newSessionID())"],
                                     ["Coder-Session-Token": "x"], ["API-Key": "cbk_wrong"], ["Authorization": wrongUser]] {
            let r = await t.app.call(.GET, "/api/tasks", headers: headers)
            #expect(r.status == 403, "\(headers.fields)")
        }
        let none = await t.app.call(.GET, "/api/tasks")
        #expect(none.status == 401)
        #expect(none.headers["WWW-Authenticate"] == nil)
        let orch = await t.app.call(.GET, "/orchestrator/jobs")
        #expect(orch.status == 401)
        #expect(orch.headers["WWW-Authenticate"] == "Basic realm=\"morpheo\"")
        #expect(rec.requests.isEmpty)
        await t.close()
    }

    @Test func clientIdentityAndCredentialsNeverReachUpstream() async throws {
        let (t, rec, key) = try await setup(["INTERNAL_TOKEN": "secret-token"])
        let r = await t.app.call(.POST, "/predict?x=1", headers: [
            "API-Key": key, "X-User-Id": "999", "x-user-name": "root", "X-User-Roles": "admin",
            "X-Internal-Token": "forged", "Connection": "close, X-Secret-Hop", "X-Secret-Hop": "1",
            "Keep-Alive": "timeout=1", "TE": "trailers", "Upgrade": "h2c", "Proxy-Authorization": "Basic x",
            "X-Request-Id": "client-req-1", "X-Forwarded-For": "10.0.0.1", "X-Custom": "kept", "Expect": "100-continue",
        ], body: Array("current_file=a".utf8))
        #expect(r.status == 200)
        let (req, up) = try #require(rec.requests.first)
        #expect(up.name == "predictor")
        #expect(req.target == "/predict?x=1")
        let h = req.headers
        #expect(h.values("X-User-Id") == ["1"])
        #expect(h.values("X-User-Name") == ["alice"])
        #expect(h.values("X-User-Roles") == ["user,compute"])
        #expect(h.values("X-Internal-Token") == ["secret-token"])
        #expect(h["API-Key"] == nil)
        for hop in ["Connection", "X-Secret-Hop", "Keep-Alive", "TE", "Upgrade", "Proxy-Authorization", "Host", "Expect"] {
            #expect(h[hop] == nil, "\(hop)")
        }
        #expect(h.values("X-Request-Id") == ["client-req-1"])
        #expect(h["X-Forwarded-For"]?.hasPrefix("10.0.0.1") == true)
        #expect(h["X-Custom"] == "kept")
        // Hop-by-hop response headers are dropped too.
        #expect(r.headers["X-Hop"] == nil)
        #expect(r.headers["Keep-Alive"] == nil)
        #expect(r.headers["X-Request-Id"] == "client-req-1")
        await t.close()
    }

    /// Every `X-Forwarded-For` the client sent is kept, in order, in one field; a client's
    /// `X-Forwarded-Host` is kept, otherwise its `Host` is sent as one.
    @Test func forwardingFieldsKeepWhatTheClientSent() async throws {
        let (t, rec, key) = try await setup()
        _ = await t.app.call(.GET, "/api/tasks", headers: HTTPHeaders([
            ("API-Key", key), ("X-Forwarded-For", "10.0.0.1"), ("Host", "tools.example"), ("X-Forwarded-For", "10.0.0.2, 10.0.0.3"),
        ]))
        _ = await t.app.call(.GET, "/api/tasks", headers: HTTPHeaders([
            ("API-Key", key), ("Host", "inner:8080"), ("X-Forwarded-Host", "outer.example"),
        ]))
        try #require(rec.requests.count == 2)
        let first = rec.requests[0].0.headers, second = rec.requests[1].0.headers
        #expect(first.values("X-Forwarded-For").count == 1)
        #expect(first["X-Forwarded-For"]?.hasPrefix("10.0.0.1, 10.0.0.2, 10.0.0.3") == true)
        #expect(first.values("X-Forwarded-Host") == ["tools.example"])
        #expect(second.values("X-Forwarded-Host") == ["outer.example"])
        #expect(second["X-Forwarded-For"] == nil || second["X-Forwarded-For"]?.contains("outer") == false)
        await t.close()
    }

    /// A configured internal token that cannot travel in a header fails each proxied
    /// request with 502 in the envelope, and nothing is sent upstream.
    @Test func internalTokenThatCannotBeAHeaderIsA502() async throws {
        let (t, rec, key) = try await setup(["INTERNAL_TOKEN": "two\nlines"])
        let r = await t.app.call(.GET, "/api/tasks", headers: ["API-Key": key])
        #expect(r.status == 502)
        #expect(r.text.contains("\"code\""))
        #expect(rec.requests.isEmpty)
        await t.close()
    }

    @Test func prefixRoutingLongestWinsAndOrchestratorIsStripped() async throws {
        let (t, _, key) = try await setup()
        let cases: [(String, String)] = [
            ("/predict", "predictor /predict"),
            ("/mass_upload", "predictor /mass_upload"),
            ("/api/v2/aibridge/chat/completions", "aibridge-query /api/v2/aibridge/chat/completions"),
            ("/api/v2/tasks", "task-manager /api/v2/tasks"),
            ("/api/tasks/7", "task-manager /api/tasks/7"),
            ("/code/run", "code-runner /code/run"),
            ("/upload_dataframe", "code-runner /upload_dataframe"),
            ("/reset-session?session_id=s1", "code-runner /reset-session?session_id=s1"),
            ("/orchestrator/jobs/3?verbose=1", "orchestrator /jobs/3?verbose=1"),
            ("/orchestrator/", "orchestrator /"),
            ("/ws", "task-manager /ws"),
        ]
        for (path, expected) in cases {
            let r = await t.app.call(.GET, path, headers: ["API-Key": key])
            #expect(r.text == expected, "\(path)")
        }
        #expect(await t.app.call(.GET, "/predictions", headers: ["API-Key": key]).status == 404)
        #expect(await t.app.call(.GET, "/nothing/here", headers: ["API-Key": key]).status == 404)
        #expect(await t.app.call(.GET, "/upload_dataframes", headers: ["API-Key": key]).status == 404)
        await t.close()
    }

    @Test func routeTableMatching() {
        let u = Upstream(name: "o", baseURL: "http://h:1/", readTimeout: .seconds(1), connectTimeout: .seconds(1))
        #expect(u.baseURL == "http://h:1")
        let table = ProxyTable([ProxyRoute(prefix: "/api/", upstream: u), ProxyRoute(prefix: "/api/v2/aibridge/", upstream: u, stripPrefix: true)])
        #expect(table.routes.first?.prefix == "/api/v2/aibridge/")
        #expect(table.match("/api/v2/aibridge/x")?.1 == "/x")
        #expect(table.match("/api/v2/x")?.1 == "/api/v2/x")
        #expect(table.match("/apix") == nil)
    }

    @Test func upstreamFailuresMapTo502And504() async throws {
        let (t, rec, key) = try await setup()
        rec.failure = .unreachable("connection refused")
        let down = await t.app.call(.GET, "/api/tasks", headers: ["API-Key": key])
        #expect(down.status == 502)
        #expect(down.code == 502)
        rec.failure = .timeout("read timeout")
        let slow = await t.app.call(.GET, "/api/tasks", headers: ["API-Key": key])
        #expect(slow.status == 504)
        #expect(slow.code == 504)
        await t.close()
    }

    @Test func rateLimitAnswers429WithRetryAfter() async throws {
        let (t, _, key) = try await setup(["RATE_LIMIT_RPS": "2", "RATE_LIMIT_BURST": "3"])
        let bob = try await t.user("bob")
        for i in 0..<3 { #expect(await t.app.call(.GET, "/api/x", headers: ["API-Key": key]).status == 200, "request \(i)") }
        let limited = await t.app.call(.GET, "/api/x", headers: ["API-Key": key])
        #expect(limited.status == 429)
        #expect(limited.code == 429)
        #expect(limited.headers["Retry-After"] == "1")
        // Per user: bob is unaffected.
        #expect(await t.app.call(.GET, "/api/x", headers: ["API-Key": bob]).status == 200)
        // Tokens come back with time (2 per second).
        t.clock.advance(by: 0.5)
        #expect(await t.app.call(.GET, "/api/x", headers: ["API-Key": key]).status == 200)
        #expect(await t.app.call(.GET, "/api/x", headers: ["API-Key": key]).status == 429)
        await t.close()
    }

    @Test func rateLimitIsOffByDefault() async throws {
        let (t, _, key) = try await setup()
        for _ in 0..<50 { #expect(await t.app.call(.GET, "/api/x", headers: ["API-Key": key]).status == 200) }
        await t.close()
    }

    @Test func corsPreflightAndHeaders() async throws {
        let (t, rec, key) = try await setup()
        let pre = await t.app.call(.OPTIONS, "/api/tasks", headers: [
            "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "session-id, content-type",
        ])
        #expect(pre.status == 204)
        #expect(pre.headers["Access-Control-Allow-Origin"] == "http://localhost:3000")
        #expect(pre.headers["Access-Control-Allow-Headers"] == "session-id, content-type")
        #expect(rec.requests.isEmpty)  // answered by the gateway
        let evil = await t.app.call(.OPTIONS, "/api/tasks", headers: ["Origin": "http://evil.example", "Access-Control-Request-Method": "POST"])
        #expect(evil.status == 403)
        let r = await t.app.call(.GET, "/api/tasks", headers: ["API-Key": key, "Origin": "http://127.0.0.1:3000"])
        #expect(r.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:3000")
        await t.close()
        let custom = try await TestGateway.make(env: ["CORS_ORIGINS": "https://app.example"])
        let ok = await custom.app.call(.OPTIONS, "/api/tasks", headers: ["Origin": "https://app.example", "Access-Control-Request-Method": "GET"])
        #expect(ok.status == 204)
        let old = await custom.app.call(.OPTIONS, "/api/tasks", headers: ["Origin": "http://localhost:3000", "Access-Control-Request-Method": "GET"])
        #expect(old.status == 403)
        await custom.close()
    }

    @Test func healthAggregatesUpstreams() async throws {
        let (t, rec, _) = try await setup()
        let ok = await t.app.call(.GET, "/health")
        #expect(ok.status == 200)
        #expect(ok.object?["status"] as? String == "healthy")
        #expect(Set(rec.requests.map { $0.1.baseURL + $0.0.target }).count == 5)
        rec.failure = .unreachable("down")
        let bad = await t.app.call(.GET, "/health")
        #expect(bad.status == 503)
        #expect(bad.object?["status"] as? String == "degraded")
        let services = bad.object?["services"] as? [String: Any]
        #expect(services?["predictor"] as? String == "unreachable")
        #expect(services?.count == 5)
        await t.close()
    }
}

@Suite("role rules")
struct RoleTests {
    @Test func routeRolesAreEnforcedPerPrefix() async throws {
        let rec = RecordingTransport()
        let t = try await TestGateway.make(env: ["ROUTE_ROLES": "/orchestrator/=compute|admin; /code/=user"], transport: rec)
        let plain = try await t.user("alice", roles: ["user"])
        let compute = try await t.user("bob", roles: ["compute"])
        let denied = await t.app.call(.GET, "/orchestrator/jobs", headers: ["API-Key": plain])
        #expect(denied.status == 403)
        #expect(denied.object?["description"] as? String == "requires role: compute or admin")
        #expect(await t.app.call(.GET, "/orchestrator/jobs", headers: ["API-Key": compute]).status == 200)
        #expect(await t.app.call(.GET, "/code/run", headers: ["API-Key": compute]).status == 403)
        #expect(await t.app.call(.GET, "/code/run", headers: ["API-Key": plain]).status == 200)
        #expect(await t.app.call(.GET, "/api/tasks", headers: ["API-Key": plain]).status == 200)
        #expect(rec.requests.count == 3)
        await t.close()
    }
}
