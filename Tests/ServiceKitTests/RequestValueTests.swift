import Contracts
import HTTPCore
import Testing
@testable import ServiceKit
import TestSupport

/// `Request` keeps its fields in one copy-on-write box; these pin down value semantics,
/// the lazily built `**` parameter, and the router's byte-wise literal matching.
@Suite struct RequestValueTests {
    /// An application over `build`'s routes, called without the internal token.
    func app(_ build: (Router) -> Void) -> Application {
        let r = Router()
        build(r)
        var d = ServiceDefinition(router: r, envelope: .detail)
        d.requireInternalToken = false
        return Application(testing: d)
    }

    @Test func copiesAreIndependentValues() throws {
        var a = Request(http: HTTPRequest(method: .GET, target: "/x?y=1", headers: ["H": "1"]))
        a.requestID = "first"
        let b = a
        a.requestID = "second"
        a.identity = Identity(userID: "7", name: "ann", roles: ["user"])
        a.http.headers.set("H", "2")
        #expect(b.requestID == "first")
        #expect(b.identity == nil)
        #expect(b.headers["H"] == "1")
        #expect(a.requestID == "second" && a.identity?.name == "ann" && a.headers["H"] == "2")
        #expect(a.startedAt == b.startedAt)
        var c = b
        c.parameters = ["id": "9"]
        #expect(b.parameters.isEmpty && c.parameters == ["id": "9"])
        // Parameters set by hand read back the same way through both accessors.
        c.parameters = ["**": "rest/of", "id": "3"]
        #expect(try c.parameter("**") == "rest/of" && c.parameter("id") == "3")
        #expect(throws: ServiceError.self) { try c.parameter("missing") }
    }

    @Test func catchAllRestIsBuiltOnlyWhenAskedAndMatchesParameter() async throws {
        let app = app { r in
            r.get("/files/{owner}/**") { req in
                .text("\(try req.parameter("owner"))|\(try req.parameter("**"))|\(req.parameters["**"] ?? "-")|\(req.parameters.count)")
            }
            r.get("/plain") { req in .text("\(req.parameters.count)|\((try? req.parameter("**")) ?? "none")") }
        }
        #expect(await app.call(.GET, "/files/ann/a/b%20c/").text == "ann|a/b%20c|a/b%20c|2")
        #expect(await app.call(.GET, "/files/ann").text == "ann|||2")
        #expect(await app.call(.GET, "/plain").text == "0|none")
        let missing = await app.call(.GET, "/plain2")
        #expect(missing.status == 404)
    }

    @Test func literalsAreMatchedByBytesNotPrefixes() async {
        let app = app { r in
            r.get("/ab") { _ in .text("ab") }
            r.get("/abc") { _ in .text("abc") }
            r.get("/é") { _ in .text("e-acute") }
            r.get("/{any}") { req in .text("param \(req.parameters["any"] ?? "")") }
        }
        #expect(await app.call(.GET, "/ab").text == "ab")
        #expect(await app.call(.GET, "/abc").text == "abc")
        #expect(await app.call(.GET, "/a").text == "param a")
        #expect(await app.call(.GET, "/abcd").text == "param abcd")
        #expect(await app.call(.GET, "/é").text == "e-acute")
        #expect(await app.call(.GET, "/%C3%A9").text == "param é")
    }

    @Test func eachRouteCountsItsOwnSeriesPerMethodAndStatus() async {
        let app = app { r in
            r.on([.GET, .POST], "/s/{code}") { req in
                HTTPResponse(status: HTTPStatus(Int(req.parameters["code"] ?? "") ?? 500), body: .bytes([]))
            }
            r.get("/t/{code}") { _ in .text("t") }
        }
        for target in ["/s/200", "/s/200", "/s/404", "/t/1", "/nowhere"] { _ = await app.call(.GET, target) }
        _ = await app.call(.POST, "/s/200")
        let m = app.metrics
        #expect(m.value("http_requests_total", labels: [("method", "GET"), ("route", "/s/{code}"), ("status", "200")]) == 2)
        #expect(m.value("http_requests_total", labels: [("method", "GET"), ("route", "/s/{code}"), ("status", "404")]) == 1)
        #expect(m.value("http_requests_total", labels: [("method", "POST"), ("route", "/s/{code}"), ("status", "200")]) == 1)
        #expect(m.value("http_requests_total", labels: [("method", "GET"), ("route", "/t/{code}"), ("status", "200")]) == 1)
        #expect(m.value("http_requests_total", labels: [("method", "GET"), ("route", "unmatched"), ("status", "404")]) == 1)
    }
}
