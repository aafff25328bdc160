import AuthGateway
import Foundation
import HTTPCore
import ServiceKit
import Synchronization
import TestSupport

/// A gateway on a temporary database with a manual clock, driven in-process.
final class TestGateway: @unchecked Sendable {
    let dir: URL
    let store: GatewayStore
    let clock = ManualClock()
    let gateway: Gateway
    let app: Application
    let metrics = Metrics()

    static func make(env: [String: String] = [:], transport: (any UpstreamTransport)? = nil) async throws -> TestGateway {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try await GatewayStore.open(path: dir.appendingPathComponent("gateway.sqlite").path)
        return try await make(store: store, dir: dir, env: env, transport: transport)
    }

    /// A gateway over an open `store` (e.g. one replica of several on one PostgreSQL
    /// schema), following the revocations announced on its database as the service does.
    static func make(store: GatewayStore, dir: URL? = nil, env: [String: String] = [:],
                     transport: (any UpstreamTransport)? = nil) async throws -> TestGateway {
        let dir = dir ?? FileManager.default.temporaryDirectory.appendingPathComponent("gw-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let gateway = try TestGateway(dir: dir, store: store, env: env,
                                      transport: transport ?? AuthGatewayService.defaultTransport(try testOptions(env)))
        try await gateway.gateway.auth.followRevocations()
        return gateway
    }

    static func testOptions(_ env: [String: String], dir: URL? = nil) throws -> AuthGatewayOptions {
        var environment = ["INTERNAL_TOKEN": "test-internal-token",
                           "DATA_DIR": (dir ?? FileManager.default.temporaryDirectory.appendingPathComponent("gw-test-options")).path]
        for (name, value) in env { environment[name] = value }
        return try AuthGatewayService.options(AuthGatewayService.config(environment: environment))
    }

    private init(dir: URL, store: GatewayStore, env: [String: String], transport: any UpstreamTransport) throws {
        self.dir = dir
        self.store = store
        gateway = Gateway(options: try TestGateway.testOptions(env, dir: dir), store: store, clock: clock, transport: transport,
                          logger: Logger(service: "test", level: .error), metrics: metrics)
        app = Application(testing: AuthGatewayService.definition(of: gateway), name: "auth-gateway", internalToken: "test-internal-token", metrics: metrics)
    }

    /// Makes a user with a key; returns the key.
    @discardableResult
    func user(_ name: String, roles: [String] = ["user"]) async throws -> String {
        _ = try await store.createUser(name: name, roles: roles, now: clock.now())
        return try await store.createKey(userName: name, label: "test", now: clock.now()).1
    }

    /// A session for a key, through the API.
    func session(_ key: String) async -> String {
        await app.call(.GET, "/session", headers: ["API-Key": key]).text
    }

    func close() async {
        await gateway.transport.shutdown()
        await store.close()
        try? FileManager.default.removeItem(at: dir)
    }
}

extension TestResponse {
    /// The `code` of a `{"code","description"}` body.
    var code: Int? { (object?["code"] as? NSNumber)?.intValue ?? object?["code"] as? Int }
}

/// An in-process upstream: records each request and answers with the upstream's name
/// and the path it got (or throws a given error).
final class RecordingTransport: UpstreamTransport, @unchecked Sendable {
    private let state = Mutex<(requests: [(UpstreamRequest, Upstream)], failure: UpstreamError?)>(([], nil))
    var failure: UpstreamError? {
        get { state.withLock { $0.failure } }
        set { state.withLock { $0.failure = newValue } }
    }
    var requests: [(UpstreamRequest, Upstream)] { state.withLock { $0.requests } }

    func send(_ request: UpstreamRequest, to upstream: Upstream) async throws -> UpstreamResponse {
        let f = state.withLock { s -> UpstreamError? in s.requests.append((request, upstream)); return s.failure }
        if let f { throw f }
        let path = request.target
        let body = Array("\(upstream.name) \(path)".utf8)
        return UpstreamResponse(status: .ok, headers: ["Content-Type": "text/plain", "Content-Length": String(body.count),
                                                       "Connection": "keep-alive, X-Hop", "X-Hop": "1", "Keep-Alive": "timeout=5"],
                                body: .bytes(body))
    }
    func shutdown() async {}
    func classify(_ error: any Error) -> UpstreamError { .unreachable("\(error)") }
}
