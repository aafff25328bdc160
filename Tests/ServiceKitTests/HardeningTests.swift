import Contracts
import Foundation
import HTTPCore
import Testing
@testable import ServiceKit
import TestSupport

/// Issue 10: metric labels and log values a client cannot inflate, `/metrics` for
/// operators only, CORS preflights that name headers, and the settings of the limits.
@Suite struct HardeningTests {
    func app(requireToken: Bool = true, cors: [String] = [], metricsListener: Bool = false,
             configure: (inout ServiceDefinition) -> Void = { _ in }) -> Application {
        let r = Router()
        r.get("/ping") { _ in .text("pong") }
        var d = ServiceDefinition(router: r, envelope: .codeDescription)
        d.requireInternalToken = requireToken
        d.cors = cors
        configure(&d)
        return Application(name: "test", definition: d, internalToken: "test-internal-token",
                           logger: Logger(service: "test", level: .error), metrics: Metrics(), metricsListener: metricsListener)
    }

    // MARK: finding 1: method names as labels and log values

    @Test func unknownMethodsShareOneMetricLabel() async {
        let a = app(requireToken: false)
        for i in 0..<50 { _ = await a.call(HTTPMethod("M0900001XXXX\(i)"), "/ping") }
        _ = await a.call(.GET, "/ping")
        _ = await a.call(HTTPMethod("PROPFIND"), "/ping")
        let text = await a.operatorMetrics()
        #expect(!text.contains("M0900001"))
        #expect(!text.contains("PROPFIND"))
        let series = text.split(separator: "\n").filter { $0.hasPrefix("http_requests_total{") }
        // GET 200 and one `other` series for all 51 unknown methods (405 on a known route).
        #expect(series.count == 2, "\(series)")
        #expect(a.metrics.value("http_requests_total", labels: [("method", "other"), ("route", "unmatched"), ("status", "405")]) == 51)
        #expect(a.metrics.value("http_requests_total", labels: [("method", "GET"), ("route", "/ping"), ("status", "200")]) == 1)
    }

    @Test(arguments: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"])
    func standardMethodsKeepTheirLabel(name: String) {
        #expect(MetricsMiddleware.label(HTTPMethod(name)) == name)
        #expect(MetricsMiddleware.label(HTTPMethod(name.lowercased())) == "other")
    }

    @Test func logValuesAreCutAtTheBound() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let sink = LogSink(fd: fds[1])
        let logger = Logger(service: "t", sink: sink)
        let path = "/" + String(repeating: "a", count: 8190)
        logger.info("request", [("method", "GET"), ("path", path)])
        sink.flush()
        close(fds[1])
        let line = String(decoding: FileHandle(fileDescriptor: fds[0]).readDataToEndOfFile(), as: UTF8.self)
        #expect(line.utf8.count < Logger.maxValueBytes + 300, "\(line.utf8.count) bytes")
        #expect(line.contains("…[+\(path.utf8.count - Logger.maxValueBytes) bytes]"))
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        let fields = try #require(object?["fields"] as? [String: Any])
        #expect((fields["path"] as? String)?.hasPrefix("/aaaa") == true)
        #expect(fields["method"] as? String == "GET")
    }

    @Test func aCutNeverSplitsACharacter() {
        // "é" is two bytes: after one ASCII byte, the bound falls inside one.
        let text = "x" + String(repeating: "é", count: 1000)
        let cut = Logger.bounded(text)
        let kept = cut.prefix { $0 != "…" }
        #expect(kept.utf8.count == Logger.maxValueBytes - 1)
        #expect(!kept.unicodeScalars.contains("\u{FFFD}"))
        #expect(Logger.bounded("short") == "short")
    }

    // MARK: finding 12: metrics for operators

    @Test func metricsNeedTheInternalTokenAndAnOperatorRole() async {
        let a = app()
        #expect(await a.call(.GET, "/metrics").status == 401)
        #expect(await a.call(.GET, "/metrics", identity: Identity(userID: "u", name: "u", roles: ["user"])).status == 403)
        #expect(await a.call(.GET, "/metrics", identity: Identity(userID: "o", name: "o", roles: ["admin"]), internalToken: "wrong").status == 401)
        for role in ServiceDefinition.operatorRoles {
            let r = await a.call(.GET, "/metrics", identity: Identity(userID: "o", name: "o", roles: [role]))
            #expect(r.status == 200)
            #expect(r.text.contains("# TYPE http_requests_total counter"))
        }
        // The gateway's mode (no token required elsewhere) does not open them.
        let gateway = app(requireToken: false)
        #expect(await gateway.call(.GET, "/metrics").status == 401)
        #expect(await gateway.call(.GET, "/metrics", headers: [IdentityHeaders.userID: "x", IdentityHeaders.roles: "admin"]).status == 401)
        #expect(await gateway.call(.GET, "/metrics", identity: .testOperator).status == 200)
    }

    @Test func aServiceMayDecideWhoReadsItsMetrics() async {
        let a = app(requireToken: false) { d in
            d.metricsAuthorization = { request in
                guard request.headers["X-Scraper"] == "yes" else { throw ServiceError.forbidden("scrapers only") }
            }
        }
        #expect(await a.call(.GET, "/metrics").status == 403)
        #expect(await a.call(.GET, "/metrics", headers: ["X-Scraper": "yes"]).status == 200)
    }

    @Test func withAMetricsListenerTheServicePortHasNoMetrics() async throws {
        let a = app(metricsListener: true)
        #expect(await a.call(.GET, "/metrics", identity: .testOperator).status == 404)
        // The listener serves them to whoever reaches it, and nothing else.
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), responder: MetricsResponder(metrics: a.metrics))
        try server.start()
        let client = HTTPClient()
        let base = "http://127.0.0.1:\(server.port)"
        _ = await a.call(.GET, "/ping", identity: .testOperator)
        let metrics = try await client.get(base + "/metrics")
        #expect(metrics.status == .ok)
        let text = String(decoding: try await metrics.body.collect(upTo: 1 << 20), as: UTF8.self)
        #expect(text.contains("http_requests_total{method=\"GET\",route=\"/ping\",status=\"200\"} 1"))
        let other = try await client.get(base + "/ping")
        #expect(other.status == .notFound)
        _ = try await other.body.collect(upTo: 1 << 16)
        let post = try await client.post(base + "/metrics", body: [])
        #expect(post.status == .methodNotAllowed)
        #expect(post.headers["Allow"] == "GET, HEAD")
        _ = try await post.body.collect(upTo: 1 << 16)
        await client.shutdown()
        await server.shutdown()
    }

    // MARK: finding 13: CORS preflights with credentials

    @Test func preflightNamesTheAllowedRequestedHeadersNeverAStar() async {
        let a = app(requireToken: false, cors: ["http://localhost:3000"])
        let pre = await a.call(.OPTIONS, "/ping", headers: [
            "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, content-type,X-Evil-Header , session-id",
        ])
        #expect(pre.status == 204)
        #expect(pre.headers["Access-Control-Allow-Credentials"] == "true")
        #expect(pre.headers["Access-Control-Allow-Headers"] == "authorization, content-type, session-id")
        // Nothing asked for, nothing named; never `*`.
        let bare = await a.call(.OPTIONS, "/ping", headers: ["Origin": "http://localhost:3000", "Access-Control-Request-Method": "GET"])
        #expect(bare.status == 204)
        #expect(bare.headers["Access-Control-Allow-Headers"] == nil)
        let unknown = await a.call(.OPTIONS, "/ping", headers: [
            "Origin": "http://localhost:3000", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "*",
        ])
        #expect(unknown.headers["Access-Control-Allow-Headers"] == nil)
    }

    @Test func theAllowListIsTheDefinitions() async {
        let a = app(requireToken: false, cors: ["http://localhost:3000"]) { d in d.corsAllowedHeaders = ["X-Custom"] }
        let pre = await a.call(.OPTIONS, "/ping", headers: [
            "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-custom, authorization",
        ])
        #expect(pre.headers["Access-Control-Allow-Headers"] == "x-custom")
    }

    // MARK: settings

    @Test func limitSettingsAreReadAndChecked() throws {
        func options(_ environment: [String: String]) throws -> ServerOptions {
            try ServerOptions(config: Config(service: "svc", settings: Config.common(service: "svc", port: 9000), environment: environment))
        }
        let defaults = try options([:])
        #expect(defaults.http.maxConnections == DescriptorLimit.defaultMaxConnections)
        #expect(defaults.http.bodyMinimumRate == 1024)
        #expect(defaults.metricsPort == nil && defaults.metricsHost == "127.0.0.1")
        let set = try options(["MAX_CONNECTIONS": "50", "BODY_MIN_RATE": "0", "METRICS_PORT": "9100", "METRICS_HOST": "0.0.0.0"])
        #expect(set.http.maxConnections == 50 && set.http.bodyMinimumRate == 0)
        #expect(set.metricsPort == 9100 && set.metricsHost == "0.0.0.0")
        for (name, value) in [("METRICS_PORT", "metrics"), ("BODY_MIN_RATE", "-1"), ("MAX_CONNECTIONS", "-3")] {
            let error = #expect(throws: ConfigError.self) { try options([name: value]) }
            #expect(error?.setting == name)
        }
    }

    @Test func theDescriptorBudgetKeepsAReserve() {
        #expect(DescriptorLimit.socketCeiling(forLimit: 80) == 48)
        #expect(DescriptorLimit.socketCeiling(forLimit: 1024) == 960)
        #expect(DescriptorLimit.socketCeiling(forLimit: 1 << 20) == (1 << 20) - 4096)
        #expect(DescriptorLimit.socketCeiling(forLimit: 10) == 8)
        #expect(DescriptorLimit.defaultMaxConnections == max(4, DescriptorLimit.socketCeiling / 2))
    }
}
