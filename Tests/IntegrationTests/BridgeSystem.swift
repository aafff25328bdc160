import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HTTPCore
import Subprocess
import TestSupport

/// The real `aibridge-query` binary (and, when asked, the real `auth-gateway` in front of it)
/// on free ports, with the local LLM upstream (`LLMUpstreamPeer`) as both providers'
/// upstream. The bridge can be killed with SIGKILL and started again on the same data.
final class BridgeSystem: @unchecked Sendable {
    let upstream: LLMUpstreamPeer
    let dataRoot: URL
    let bridgePort: Int
    let gatewayPort: Int?
    let token = "bridge-it-\(UUID().uuidString)"
    let client = HTTPClient(configuration: .testing())
    private(set) var bridge: Subprocess
    private var gateway: Subprocess?
    private let bridgeEnvironment: [String: String]
    /// The bridge's standard error (its JSON log), appended across restarts.
    let bridgeLog: URL

    static let configuredOpenAIKey = "sk-configured-openai-3f9a"
    static let configuredAnthropicKey = "sk-configured-anthropic-8c1d"

    /// Starts the upstream, the bridge and (with `withGateway`) the gateway; `bridgeEnv`
    /// adds or replaces settings of the bridge.
    static func start(withGateway: Bool, upstream given: LLMUpstreamPeer? = nil, bridgeEnv: [String: String] = [:]) async throws -> BridgeSystem {
        let upstream: LLMUpstreamPeer
        if let given { upstream = given } else { upstream = try await LLMUpstreamPeer.start() }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bridge-it-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let system = try await BridgeSystem(upstream: upstream, dataRoot: root, withGateway: withGateway, bridgeEnv: bridgeEnv)
        try await system.waitHealthy(port: system.bridgePort)
        if let gatewayPort = system.gatewayPort { try await system.waitHealthy(port: gatewayPort, path: "/ping") }
        return system
    }

    private init(upstream: LLMUpstreamPeer, dataRoot: URL, withGateway: Bool, bridgeEnv: [String: String]) async throws {
        self.upstream = upstream
        self.dataRoot = dataRoot
        bridgePort = TestSupport.freePort()
        bridgeLog = dataRoot.appendingPathComponent("aibridge-query.log")
        _ = FileManager.default.createFile(atPath: bridgeLog.path, contents: nil)
        var env = ProcessInfo.processInfo.environment
        env["INTERNAL_TOKEN"] = token
        env["LOG_LEVEL"] = "debug"
        var benv = env
        benv["PORT"] = String(bridgePort)
        benv["DATA_DIR"] = dataRoot.appendingPathComponent("aibridge-query").path
        benv["AIBRIDGE_OPENAI_BASE_URL"] = upstream.openAIBaseURL
        benv["AIBRIDGE_OPENAI_KEY"] = Self.configuredOpenAIKey
        benv["AIBRIDGE_ANTHROPIC_BASE_URL"] = upstream.anthropicBaseURL
        benv["AIBRIDGE_ANTHROPIC_KEY"] = Self.configuredAnthropicKey
        benv.merge(bridgeEnv) { $1 }
        bridgeEnvironment = benv
        bridge = try await Self.launch("aibridge-query", env: benv, log: bridgeLog)
        if withGateway {
            let port = TestSupport.freePort()
            var genv = env
            genv["PORT"] = String(port)
            genv["DATA_DIR"] = dataRoot.appendingPathComponent("auth-gateway").path
            genv["AIBRIDGE_URL"] = "http://127.0.0.1:\(bridgePort)"
            genv["LOG_LEVEL"] = "warning"
            genv["UPSTREAM_CONNECT_TIMEOUT_MS"] = "120000"
            gatewayPort = port
            gateway = try await Self.launch("auth-gateway", env: genv, log: nil)
        } else {
            gatewayPort = nil
        }
    }

    private static func launch(_ name: String, env: [String: String], log: URL?) async throws -> Subprocess {
        try await TestSupport.launch(TestSupport.binDir.appendingPathComponent(name), environment: env,
                                     error: log.map { .file(path: $0.path, append: true) } ?? .null)
    }

    func waitHealthy(port: Int, path: String = "/health") async throws {
        let healthy = await eventually(timeout: .seconds(300), polling: .milliseconds(25)) { [client] in
            guard let r = try? await client.get("http://127.0.0.1:\(port)\(path)", timeout: .seconds(5)) else { return false }
            _ = try? await r.body.collect(upTo: 1 << 16)
            return r.status.code == 200
        }
        guard healthy else { throw HarnessError(message: "service on port \(port) did not answer \(path)") }
    }

    /// A user of the gateway with a new API key.
    func createUser(_ name: String, roles: [String]) async throws -> String {
        try await TestSupport.createGatewayUser(name, roles: roles, dataDir: dataRoot.appendingPathComponent("auth-gateway").path)
    }

    /// The headers our services send the bridge directly for a user.
    func internalHeaders(userID: String, name: String, roles: String) -> HTTPHeaders {
        ["X-Internal-Token": token, "X-User-Id": userID, "X-User-Name": name, "X-User-Roles": roles]
    }

    /// A request straight to the bridge; the whole response.
    func callBridge(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: String? = nil) async throws -> TestResponse {
        var all = headers
        if body != nil { all.set("Content-Type", "application/json") }
        let response = try await client.execute(HTTPClientRequest(method: method, url: "http://127.0.0.1:\(bridgePort)\(path)",
                                                                  headers: all, body: .bytes(Array((body ?? "").utf8))),
                                                timeout: .seconds(300))
        return TestResponse(status: response.status.code, headers: response.headers, body: try await response.body.collect(upTo: 64 << 20))
    }

    /// Every interception the admin identity can list (all pages), as JSON objects.
    func allInterceptions() async throws -> (count: Int, results: [[String: Any]]) {
        var results: [[String: Any]] = []
        var count = 0
        var after: String? = nil
        repeat {
            let path = "/api/v2/aibridge/interceptions?limit=1000" + (after.map { "&after_id=\($0)" } ?? "")
            let page = try await callBridge(.GET, path, headers: internalHeaders(userID: "it-admin", name: "it-admin", roles: "admin"))
            guard page.status == 200, let object = try JSONSerialization.jsonObject(with: Data(page.body)) as? [String: Any],
                  let rows = object["results"] as? [[String: Any]] else {
                throw HarnessError(message: "interceptions: \(page.status) \(page.text)")
            }
            count = object["count"] as? Int ?? 0
            results += rows
            after = rows.count == 1000 ? rows.last?["id"] as? String : nil
        } while after != nil
        return (count, results)
    }

    /// SIGKILL to the bridge, then waits for it to be gone.
    func killBridge() async {
        await TestSupport.stop(bridge, signal: SIGKILL)
    }

    /// Starts the bridge again on the same data and port.
    func restartBridge() async throws {
        bridge = try await Self.launch("aibridge-query", env: bridgeEnvironment, log: bridgeLog)
        try await waitHealthy(port: bridgePort)
    }

    /// Stops everything (SIGTERM) and removes the data unless `keepData`.
    func stop(keepData: Bool = false) async {
        for process in [gateway, bridge].compactMap({ $0 }) { await TestSupport.stop(process) }
        await client.shutdown()
        upstream.stop()
        if !keepData { try? FileManager.default.removeItem(at: dataRoot) }
    }

    /// SIGTERM to everything without waiting (for a `defer`).
    func terminate() {
        for process in [gateway, bridge].compactMap({ $0 }) where process.exitStatus == nil { _ = process.signal(SIGTERM, toGroup: false) }
        upstream.stop()
    }
}
