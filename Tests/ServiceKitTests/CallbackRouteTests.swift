import Contracts
import Foundation
import HTTPCore
import Testing
@testable import ServiceKit
import TestSupport

/// Thrown by a route to get a 500.
struct UnexpectedFailure: Error {}

/// Adds a header on the way out (a service middleware forces the task path).
struct MarkingMiddleware: Middleware {
    func handle(_ request: Request, next: Next) async throws -> HTTPResponse {
        var r = try await next(request)
        r.headers.set("X-Middleware", "ran")
        return r
    }
}

/// An application with completion-style routes. Each answer says what the handler saw
/// and where it ran: `X-In-Task` (inside a Swift task or not), `X-On-Loop` (on an event
/// loop thread or not).
func callbackApp(cors: [String] = [], requireToken: Bool = false, middlewares: [any Middleware] = []) -> Application {
    let r = Router()
    r.on([.GET, .POST], "/files/{owner}/**", callback: { req, reply in
        let who = req.identity.map { "\($0.userID):\($0.name):\($0.roles.joined(separator: ","))" } ?? "anonymous"
        var resp = HTTPResponse.text("\(req.method) owner=\(req.parameters["owner"] ?? "-") rest=\(req.parameters["**"] ?? "-") who=\(who) route=\(req.route)")
        resp.headers.set("X-In-Task", withUnsafeCurrentTask { $0 != nil } ? "yes" : "no")
        resp.headers.set("X-On-Loop", EventLoopGroup.shared.loops.contains { $0.inLoop } ? "yes" : "no")
        resp.headers.set("X-Seen-Request-Id", req.requestID)
        reply(.success(resp))
    })
    r.on([.GET], "/fail/{status}", callback: { req, reply in
        let code = Int(req.parameters["status"] ?? "") ?? 599
        reply(.failure(ServiceError(HTTPStatus(code), "failed with \(code)")))
    })
    r.on([.GET], "/crash", callback: { _, reply in reply(.failure(UnexpectedFailure())) })
    r.on([.GET], "/later/{n}", callback: { req, reply in
        let n = req.parameters["n"] ?? "-"
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(2)) { reply(.success(.text("later \(n)"))) }
    })
    var d = ServiceDefinition(router: r, envelope: .codeDescription)
    d.cors = cors
    d.requireInternalToken = requireToken
    d.middlewares = middlewares
    return Application(testing: d)
}

/// An application served by a real `HTTPServer` (the app as its responder) on port 0,
/// called with an `HTTPClient`.
struct LiveApp {
    let app: Application
    let server: HTTPServer
    let client = HTTPClient(configuration: .testing())

    init(_ app: Application) throws {
        self.app = app
        server = HTTPServer(configuration: HTTPServerConfiguration.testing(), responder: app)
        try server.start()
    }

    func request(_ method: HTTPMethod = .GET, _ target: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) async throws -> TestResponse {
        let r = try await client.execute(HTTPClientRequest(method: method, url: "http://127.0.0.1:\(server.port)\(target)",
                                                           headers: headers, body: .bytes(body)))
        let bytes = try await r.body.collect(upTo: 1 << 20)
        return TestResponse(status: r.status.code, headers: r.headers, body: bytes)
    }

    func stop() async {
        await client.shutdown()
        await server.shutdown()
    }
}

/// Identity headers as the gateway sends them.
func gatewayHeaders(token: String = "test-internal-token", user: String = "u1", name: String = "ann", roles: String = "user,admin") -> HTTPHeaders {
    var h = HTTPHeaders()
    h.set(IdentityHeaders.internalToken, token)
    h.set(IdentityHeaders.userID, user)
    h.set(IdentityHeaders.userName, name)
    h.set(IdentityHeaders.roles, roles)
    return h
}

@Suite("CallbackRoutes", .serialized)
struct CallbackRouteTests {
    @Test func callbackRouteAnswersOnTheLoopWithoutATask() async throws {
        let live = try LiveApp(callbackApp())
        let r = try await live.request(.GET, "/files/ann/a/b/c.txt")
        #expect(r.status == 200)
        #expect(r.text == "GET owner=ann rest=a/b/c.txt who=anonymous route=/files/{owner}/**")
        #expect(r.headers["X-In-Task"] == "no")
        #expect(r.headers["X-On-Loop"] == "yes")
        // A request id was made, used by the handler, and returned.
        let id = try #require(r.headers[requestIDHeader])
        #expect(id.count == 15)
        #expect(r.headers["X-Seen-Request-Id"] == id)
        // Parameters are percent-decoded; the remainder is the raw rest of the path.
        let p = try await live.request(.POST, "/files/a%20b/x/y/", body: Array("ignored".utf8))
        #expect(p.text == "POST owner=a b rest=x/y who=anonymous route=/files/{owner}/**")
        let empty = try await live.request(.GET, "/files/bob")
        #expect(empty.text == "GET owner=bob rest= who=anonymous route=/files/{owner}/**")
        await live.stop()
    }

    @Test func clientRequestIDIsEchoedWhenValid() async throws {
        let live = try LiveApp(callbackApp())
        let kept = try await live.request(.GET, "/files/ann/x", headers: [requestIDHeader: "abc-123_x.y"])
        #expect(kept.headers[requestIDHeader] == "abc-123_x.y")
        #expect(kept.headers["X-Seen-Request-Id"] == "abc-123_x.y")
        let replaced = try await live.request(.GET, "/files/ann/x", headers: [requestIDHeader: "bad id!"])
        #expect(replaced.headers[requestIDHeader] != "bad id!")
        #expect(replaced.headers[requestIDHeader]?.count == 15)
        // Errors carry it too.
        let failed = try await live.request(.GET, "/fail/409", headers: [requestIDHeader: "err-1"])
        #expect(failed.headers[requestIDHeader] == "err-1")
        await live.stop()
    }

    @Test func repliedErrorsRenderInTheEnvelope() async throws {
        let live = try LiveApp(callbackApp())
        let teapot = try await live.request(.GET, "/fail/418")
        #expect(teapot.status == 418)
        #expect(teapot.headers["Content-Type"] == "application/json")
        let o = try #require(teapot.object)
        #expect(o["code"] as? Int == 418)
        #expect(o["description"] as? String == "failed with 418")
        let conflict = try await live.request(.GET, "/fail/409")
        #expect(conflict.status == 409)
        #expect(try #require(conflict.object)["code"] as? Int == 409)
        // Anything that is not a ServiceError is a 500 naming the request id only.
        let crash = try await live.request(.GET, "/crash")
        #expect(crash.status == 500)
        let id = try #require(crash.headers[requestIDHeader])
        #expect(try #require(crash.object)["description"] as? String == "internal error (request id \(id))")
        #expect(!crash.text.contains("UnexpectedFailure"))
        // No route / wrong method: the envelope too (those go through the task path).
        let missing = try await live.request(.GET, "/nothing/here")
        #expect(missing.status == 404)
        #expect(try #require(missing.object)["code"] as? Int == 404)
        let wrongMethod = try await live.request(.DELETE, "/files/ann/x")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.headers["Allow"] == "GET, HEAD, POST")
        await live.stop()
    }

    @Test func metricsCountCallbackRequestsByRoutePattern() async throws {
        let live = try LiveApp(callbackApp())
        for path in ["/files/a/1", "/files/b/2/3", "/files/c"] {
            #expect(try await live.request(.GET, path).status == 200)
        }
        #expect(try await live.request(.POST, "/files/a/1").status == 200)
        #expect(try await live.request(.GET, "/fail/418").status == 418)
        #expect(try await live.request(.GET, "/crash").status == 500)
        let m = live.app.metrics
        #expect(m.value("http_requests_total", labels: [("method", "GET"), ("route", "/files/{owner}/**"), ("status", "200")]) == 3)
        #expect(m.value("http_requests_total", labels: [("method", "POST"), ("route", "/files/{owner}/**"), ("status", "200")]) == 1)
        #expect(m.value("http_requests_total", labels: [("method", "GET"), ("route", "/fail/{status}"), ("status", "418")]) == 1)
        #expect(m.value("http_requests_total", labels: [("method", "GET"), ("route", "/crash"), ("status", "500")]) == 1)
        let text = try await live.request(.GET, "/metrics", headers: gatewayHeaders(roles: "auditor")).text
        #expect(text.contains("http_requests_total{method=\"GET\",route=\"/files/{owner}/**\",status=\"200\"} 3\n"))
        #expect(text.contains("http_requests_total{method=\"GET\",route=\"/fail/{status}\",status=\"418\"} 1\n"))
        #expect(text.contains("http_request_duration_seconds_bucket{route=\"/files/{owner}/**\",le=\"+Inf\"} 4\n"))
        await live.stop()
    }

    @Test func replyFromAnotherThreadLater() async throws {
        let live = try LiveApp(callbackApp())
        let texts = try await withThrowingTaskGroup(of: (Int, String).self) { g in
            for i in 0..<10 {
                g.addTask { (i, try await live.request(.GET, "/later/\(i)").text) }
            }
            var out: [Int: String] = [:]
            for try await (i, t) in g { out[i] = t }
            return out
        }
        #expect(texts.count == 10)
        for i in 0..<10 { #expect(texts[i] == "later \(i)") }
        #expect(live.app.metrics.value("http_requests_total", labels: [("method", "GET"), ("route", "/later/{n}"), ("status", "200")]) == 10)
        await live.stop()
    }

    @Test func inProcessCallGivesTheSameAnswer() async throws {
        let app = callbackApp()
        let live = try LiveApp(app)
        let cases: [(HTTPMethod, String)] = [
            (.GET, "/files/ann/a/b/c.txt"), (.POST, "/files/a%20b/x/"), (.GET, "/files/bob"),
            (.GET, "/fail/418"), (.GET, "/fail/404"), (.GET, "/nothing"), (.DELETE, "/files/ann/x"), (.GET, "/later/7"),
        ]
        for (i, (method, target)) in cases.enumerated() {
            let headers: HTTPHeaders = [requestIDHeader: "eq-\(i)"]
            let wire = try await live.request(method, target, headers: headers)
            let local = await app.call(method, target, headers: headers)
            #expect(wire.status == local.status, "\(method) \(target)")
            #expect(wire.text == local.text, "\(method) \(target)")
            for name in [requestIDHeader, "Content-Type", "Allow", "X-Seen-Request-Id"] {
                #expect(wire.headers[name] == local.headers[name], "\(name) of \(method) \(target)")
            }
        }
        // Where they ran differs by design: in-process is always a task.
        let local = await app.call(.GET, "/files/ann/x")
        #expect(local.headers["X-In-Task"] == "yes")
        await live.stop()
    }

    @Test func corsWithOriginTakesTheTaskPathAndAddsHeaders() async throws {
        let live = try LiveApp(callbackApp(cors: ["http://localhost:3000"]))
        let withOrigin = try await live.request(.GET, "/files/ann/x", headers: ["Origin": "http://localhost:3000"])
        #expect(withOrigin.status == 200)
        #expect(withOrigin.text == "GET owner=ann rest=x who=anonymous route=/files/{owner}/**")
        #expect(withOrigin.headers["Access-Control-Allow-Origin"] == "http://localhost:3000")
        #expect(withOrigin.headers["Access-Control-Allow-Credentials"] == "true")
        #expect(withOrigin.headers["Vary"] == "Origin")
        #expect(withOrigin.headers["X-In-Task"] == "yes")
        #expect(withOrigin.headers[requestIDHeader]?.count == 15)
        // A replied error: rendered in the envelope, as in-process, inside the CORS step.
        let failed = try await live.request(.GET, "/fail/418", headers: ["Origin": "http://localhost:3000", requestIDHeader: "cors-err"])
        let localFailed = await live.app.call(.GET, "/fail/418", headers: ["Origin": "http://localhost:3000", requestIDHeader: "cors-err"])
        #expect(failed.status == 418)
        #expect(try #require(failed.object)["code"] as? Int == 418)
        #expect(failed.text == localFailed.text)
        #expect(failed.headers["Access-Control-Allow-Origin"] == localFailed.headers["Access-Control-Allow-Origin"])
        // Error answers carry the CORS headers too (a browser page may read them).
        #expect(failed.headers["Access-Control-Allow-Origin"] == "http://localhost:3000")
        // Without Origin: the taskless path, no CORS headers.
        let plain = try await live.request(.GET, "/files/ann/x")
        #expect(plain.status == 200)
        #expect(plain.text == withOrigin.text)
        #expect(plain.headers["Access-Control-Allow-Origin"] == nil)
        #expect(plain.headers["X-In-Task"] == "no")
        // Another origin: answered, not decorated.
        let other = try await live.request(.GET, "/files/ann/x", headers: ["Origin": "http://evil.example"])
        #expect(other.status == 200)
        #expect(other.headers["Access-Control-Allow-Origin"] == nil)
        // A preflight for the callback route.
        let pre = try await live.request(.OPTIONS, "/files/ann/x", headers: ["Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"])
        #expect(pre.status == 204)
        #expect(pre.headers["Access-Control-Allow-Methods"]?.contains("POST") == true)
        await live.stop()
    }

    @Test func serviceMiddlewaresTakeTheTaskPath() async throws {
        let live = try LiveApp(callbackApp(middlewares: [MarkingMiddleware()]))
        let r = try await live.request(.GET, "/files/ann/x")
        #expect(r.status == 200)
        #expect(r.text == "GET owner=ann rest=x who=anonymous route=/files/{owner}/**")
        #expect(r.headers["X-Middleware"] == "ran")
        #expect(r.headers["X-In-Task"] == "yes")
        let failed = try await live.request(.GET, "/fail/418")
        #expect(failed.status == 418)
        await live.stop()
    }

    @Test func internalTokenIsRequiredOnTheCallbackPath() async throws {
        let live = try LiveApp(callbackApp(requireToken: true))
        // No token: 401 in the envelope, with a request id, counted under the route.
        let anon = try await live.request(.GET, "/files/ann/x", headers: [requestIDHeader: "no-token-1"])
        #expect(anon.status == 401)
        let o = try #require(anon.object)
        #expect(o["code"] as? Int == 401)
        #expect((o["description"] as? String)?.contains("internal token") == true)
        #expect(anon.headers[requestIDHeader] == "no-token-1")
        #expect(anon.headers["X-In-Task"] == nil)  // the handler did not run
        #expect(live.app.metrics.value("http_requests_total", labels: [("method", "GET"), ("route", "/files/{owner}/**"), ("status", "401")]) == 1)
        // Identity headers without the right token are not trusted.
        let forged = try await live.request(.GET, "/files/ann/x", headers: gatewayHeaders(token: "wrong"))
        #expect(forged.status == 401)
        // With the token the handler sees the identity, still without a task.
        let ok = try await live.request(.GET, "/files/ann/x", headers: gatewayHeaders())
        #expect(ok.status == 200)
        #expect(ok.text == "GET owner=ann rest=x who=u1:ann:user,admin route=/files/{owner}/**")
        #expect(ok.headers["X-In-Task"] == "no")
        // In-process, the same answers.
        let localAnon = await live.app.call(.GET, "/files/ann/x")
        #expect(localAnon.status == 401)
        let localOK = await live.app.call(.GET, "/files/ann/x", identity: Identity(userID: "u1", name: "ann", roles: ["user", "admin"]))
        #expect(localOK.text == ok.text)
        // Public paths stay open.
        #expect(try await live.request(.GET, "/health").status == 200)
        await live.stop()
    }
}
