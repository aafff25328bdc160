import Contracts
import HTTPCore
import Testing
@testable import ServiceKit
import TestSupport

@Suite struct MiddlewareTests {
    func app(cors: [String] = [], requireToken: Bool = true) -> Application {
        let r = Router()
        r.get("/whoami") { req in .text(req.identity.map { "\($0.userID)|\($0.name)|\($0.roles.joined(separator: ","))" } ?? "anonymous") }
        r.get("/admin") { req in try req.require(roles: ["admin"]); return .text("ok") }
        var d = ServiceDefinition(router: r, envelope: .detail)
        d.cors = cors
        d.requireInternalToken = requireToken
        return Application(testing: d)
    }

    @Test func identityIsTrustedOnlyWithTheInternalToken() async {
        let a = app()
        let good = await a.call(.GET, "/whoami", identity: Identity(userID: "u1", name: "ann", roles: ["user", "admin"]))
        #expect(good.text == "u1|ann|user,admin")
        let forged = await a.call(.GET, "/whoami", headers: [IdentityHeaders.userID: "u1", IdentityHeaders.roles: "admin"])
        #expect(forged.status == 401)
        let wrongToken = await a.call(.GET, "/whoami", identity: Identity(userID: "u1", name: "a", roles: []), internalToken: "wrong")
        #expect(wrongToken.status == 401)
        #expect(await a.call(.GET, "/health").status == 200)
        #expect(await a.call(.GET, "/metrics").status == 401)
    }

    @Test func gatewayModeIgnoresForgedIdentity() async {
        let a = app(requireToken: false)
        let forged = await a.call(.GET, "/whoami", headers: [IdentityHeaders.userID: "u1", IdentityHeaders.roles: "admin"])
        #expect(forged.text == "anonymous")
    }

    @Test func rolesAreChecked() async {
        let a = app()
        #expect(await a.call(.GET, "/admin", identity: Identity(userID: "u", name: "u", roles: ["user"])).status == 403)
        #expect(await a.call(.GET, "/admin", identity: Identity(userID: "u", name: "u", roles: ["admin"])).status == 200)
    }

    @Test func requestIDIsKeptWhenValidElseMade() async {
        let a = app(requireToken: false)
        let kept = await a.call(.GET, "/whoami", headers: [requestIDHeader: "abc-123_x.y"])
        #expect(kept.headers[requestIDHeader] == "abc-123_x.y")
        let replaced = await a.call(.GET, "/whoami", headers: [requestIDHeader: "bad id with spaces"])
        #expect(replaced.headers[requestIDHeader]?.count == 15)
    }

    @Test func generatedRequestIDsAreDistinctValidAndOneProcessPrefix() {
        let ids = (0..<10_000).map { _ in RequestIDMiddleware.generate() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.utf8.count == 15 && RequestIDMiddleware.isValid($0) })
        #expect(Set(ids.map { $0.prefix(5) }).count == 1)
    }

    @Test func corsPreflightAndSimpleRequests() async {
        let a = app(cors: ["http://localhost:3000"], requireToken: false)
        let pre = await a.call(.OPTIONS, "/whoami", headers: ["Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"])
        #expect(pre.status == 204)
        #expect(pre.headers["Access-Control-Allow-Origin"] == "http://localhost:3000")
        #expect(pre.headers["Access-Control-Allow-Methods"]?.contains("POST") == true)
        let denied = await a.call(.OPTIONS, "/whoami", headers: ["Origin": "http://evil.example", "Access-Control-Request-Method": "POST"])
        #expect(denied.headers["Access-Control-Allow-Origin"] == nil)
        let simple = await a.call(.GET, "/whoami", headers: ["Origin": "http://localhost:3000"])
        #expect(simple.headers["Access-Control-Allow-Origin"] == "http://localhost:3000")
    }

    @Test func metricsCountRequestsByRouteAndStatus() async {
        let a = app(requireToken: false)
        _ = await a.call(.GET, "/whoami")
        _ = await a.call(.GET, "/whoami")
        _ = await a.call(.GET, "/missing")
        #expect(a.metrics.value("http_requests_total", labels: [("method", "GET"), ("route", "/whoami"), ("status", "200")]) == 2)
        #expect(a.metrics.value("http_requests_total", labels: [("method", "GET"), ("route", "unmatched"), ("status", "404")]) == 1)
        let text = await a.operatorMetrics()
        #expect(text.contains("http_request_duration_seconds_bucket{route=\"/whoami\",le=\"+Inf\"} 2"))
    }
}
