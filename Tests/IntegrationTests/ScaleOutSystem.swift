import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HTTPCore
import Subprocess
import TestSupport

/// The whole system scaled out on one throwaway PostgreSQL database (`TestPostgresDatabase`):
/// two replicas of each of predictor, task-manager, aibridge-query, orchestrator and
/// code-runner (each with `DATABASE_URL`, its own port and `DATA_DIR`, task-manager's
/// `TASKS_DIR` and the predictor's `USER_MODELS_DIR` one directory both replicas use), and
/// two gateways (`GatewayReplicaSystem`), gateway `index` pointed at replica `index` of every
/// service: a request through gateway 1 is served by the other replicas than one through
/// gateway 0. The bridges' upstream is the local `LLMUpstreamPeer`. Everything is started at
/// once (the services boot while the gateways' admin is made) and stopped by `stop()`,
/// which also drops the database.
final class ScaleOutSystem: Sendable {
    /// One running replica of a service.
    struct Replica: Sendable {
        /// The service's executable name.
        let service: String
        /// Which replica (0 or 1): the gateway of the same index uses it.
        let index: Int
        /// Where it listens.
        let port: Int
        /// Its process.
        let process: Subprocess
        /// Its standard error (its log).
        let log: URL
    }

    /// The services run twice (the gateways are `gateways`).
    static let services = ["predictor", "task-manager", "aibridge-query", "orchestrator", "code-runner"]
    /// Replicas of each service, and gateways.
    static let replicaCount = 2

    /// The shared database.
    let database: TestPostgresDatabase
    /// Every replica's data, the shared volumes and the logs live here.
    let dataRoot: URL
    /// The LLM providers' upstream of both bridges.
    let upstream: LLMUpstreamPeer
    /// Every service replica, by service name then index.
    let replicas: [String: [Replica]]
    /// The two gateways (and the admin's key).
    let gateways: GatewayReplicaSystem
    /// The internal token the gateways vouch for callers with.
    let token: String
    /// The client the scenarios talk through.
    let client = HTTPClient(configuration: .testing())

    private init(database: TestPostgresDatabase, dataRoot: URL, upstream: LLMUpstreamPeer, replicas: [String: [Replica]],
                 gateways: GatewayReplicaSystem, token: String) {
        self.token = token
        self.database = database
        self.dataRoot = dataRoot
        self.upstream = upstream
        self.replicas = replicas
        self.gateways = gateways
    }

    /// Starts the database, the upstream, ten service replicas and two gateways, and waits
    /// until every service answers `/health` and every gateway `/ping`; stops whatever
    /// started and drops the database again when something does not come up.
    static func start() async throws -> ScaleOutSystem {
        let database = try TestPostgresDatabase()
        let dataRoot = FileManager.default.temporaryDirectory.appendingPathComponent("scale-out-\(UUID().uuidString)")
        var launched: [Replica] = []
        var upstream: LLMUpstreamPeer?
        do {
            let started = try await LLMUpstreamPeer.start()
            upstream = started
            let shared = dataRoot.appendingPathComponent("shared", isDirectory: true)
            let logs = dataRoot.appendingPathComponent("logs", isDirectory: true)
            for directory in [shared.appendingPathComponent("tasks"), shared.appendingPathComponent("user-models"), logs] {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            let token = "scale-out-\(UUID().uuidString)"
            var environment = try SystemHarness.serviceEnvironment(token: token, dataRoot: dataRoot)
            let settings = [
                "DATABASE_URL": database.url, "DATABASE_POOL_SIZE": "2",
                "TASKS_DIR": shared.appendingPathComponent("tasks").path,
                "USER_MODELS_DIR": shared.appendingPathComponent("user-models").path,
                "AIBRIDGE_OPENAI_BASE_URL": started.openAIBaseURL, "AIBRIDGE_OPENAI_KEY": BridgeSystem.configuredOpenAIKey,
                "AIBRIDGE_ANTHROPIC_BASE_URL": started.anthropicBaseURL, "AIBRIDGE_ANTHROPIC_KEY": BridgeSystem.configuredAnthropicKey,
            ]
            environment.merge(settings) { $1 }
            var ports: [String: [Int]] = [:]
            for service in services { ports[service] = (0..<replicaCount).map { _ in TestSupport.freePort() } }
            for index in 0..<replicaCount {
                for service in services {
                    var own = environment
                    own["PORT"] = String(ports[service]![index])
                    own["DATA_DIR"] = dataRoot.appendingPathComponent("\(service)-\(index)").path
                    // Replica `index` of a service calls the bridge of the same index.
                    own["AIBRIDGE_URL"] = "http://127.0.0.1:\(ports["aibridge-query"]![index])"
                    let log = logs.appendingPathComponent("\(service)-\(index).log")
                    let process = try await TestSupport.launch(TestSupport.binDir.appendingPathComponent(service), environment: own,
                                                               error: .file(path: log.path, append: true))
                    launched.append(Replica(service: service, index: index, port: ports[service]![index], process: process, log: log))
                }
            }
            // The gateways start (and their admin is made) while the services boot.
            let gatewaySettings = ["INTERNAL_TOKEN": token, "HEALTH_TIMEOUT_MS": environment["HEALTH_TIMEOUT_MS"]!,
                                   "UPSTREAM_CONNECT_TIMEOUT_MS": environment["UPSTREAM_CONNECT_TIMEOUT_MS"]!,
                                   "PREDICTOR_TIMEOUT_S": environment["PREDICTOR_TIMEOUT_S"]!,
                                   "ORCHESTRATOR_TIMEOUT_S": environment["ORCHESTRATOR_TIMEOUT_S"]!]
            let upstreams = (0..<replicaCount).map { index in
                Dictionary(uniqueKeysWithValues: SystemHarness.upstreamSettings.map { service, setting in
                    (setting, "http://127.0.0.1:\(ports[service]![index])")
                })
            }
            let gateways = try await GatewayReplicaSystem.start(replicas: replicaCount, database: database, settings: gatewaySettings,
                                                                replicaSettings: upstreams)
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for replica in launched {
                        group.addTask { try await SystemHarness.waitForHealth(port: replica.port, name: "\(replica.service)-\(replica.index)") }
                    }
                    try await group.waitForAll()
                }
            } catch {
                await gateways.stop()
                throw error
            }
            return ScaleOutSystem(database: database, dataRoot: dataRoot, upstream: started,
                                  replicas: Dictionary(grouping: launched, by: \.service), gateways: gateways, token: token)
        } catch {
            for replica in launched { await TestSupport.stop(replica.process, signal: SIGKILL) }
            upstream?.stop()
            database.remove()
            try? FileManager.default.removeItem(at: dataRoot)
            throw error
        }
    }

    /// Replica `index` of `service`.
    func replica(_ service: String, _ index: Int) -> Replica { replicas[service]![index] }

    /// SIGKILL to replica `index` of `service`; waits until it is gone and returns how it
    /// ended (the signal).
    func kill(_ service: String, _ index: Int) async -> Int32 {
        await TestSupport.stop(replica(service, index).process, signal: SIGKILL)
    }

    /// How many requests replica `index` of `service` has answered on its API routes (its
    /// `http_requests_total` from `/metrics`, asked directly as an admin the gateway vouches
    /// for; `/health`, `/metrics` and unmatched paths not counted).
    func requestsServed(_ service: String, _ index: Int) async throws -> Int {
        let headers: HTTPHeaders = ["X-Internal-Token": token, "X-User-Id": "scale-operator", "X-User-Name": "scale-operator", "X-User-Roles": "admin"]
        let response = try await client.get("http://127.0.0.1:\(replica(service, index).port)/metrics", headers: headers)
        let text = String(decoding: try await response.body.collect(upTo: 16 << 20), as: UTF8.self)
        guard response.status.code == 200 else { throw HarnessError(message: "\(service)-\(index) /metrics: \(response.status.code) \(text)") }
        let excluded = [#"route="/health""#, #"route="/metrics""#, #"route="unmatched""#]
        return text.split(separator: "\n").filter { line in
            line.hasPrefix("http_requests_total{") && !excluded.contains { line.contains($0) }
        }.reduce(0) { total, line in total + (line.split(separator: " ").last.flatMap { Double($0) }.map { Int($0) } ?? 0) }
    }

    /// A request through gateway `gateway` with `headers` (and `Content-Type: application/json`
    /// with a body); the whole response.
    func request(_ method: HTTPMethod, through gateway: Int, _ path: String, headers: HTTPHeaders = [:],
                 body: [UInt8]? = nil) async throws -> TestResponse {
        var all = headers
        if body != nil, !all.contains("Content-Type") { all.set("Content-Type", "application/json") }
        let response = try await client.execute(HTTPClientRequest(method: method, url: "http://127.0.0.1:\(gateways.ports[gateway])\(path)",
                                                                  headers: all, body: .bytes(body ?? [])))
        return TestResponse(status: response.status.code, headers: response.headers, body: try await response.body.collect(upTo: 64 << 20))
    }

    /// A new session for `key` from gateway `gateway`.
    func session(through gateway: Int, key: String) async throws -> String {
        try await gateways.session(on: gateway, key: key).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The last `lines` lines of every replica's log (for a failure's message).
    func logTails(lines: Int = 20) -> String {
        replicas.values.flatMap { $0 }.sorted { ($0.service, $0.index) < ($1.service, $1.index) }.map { replica in
            let text = (try? String(contentsOf: replica.log, encoding: .utf8)) ?? ""
            return "== \(replica.service)-\(replica.index)\n" + text.split(separator: "\n").suffix(lines).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// Stops every gateway and replica still running (SIGTERM) and returns how each replica
    /// ended (`service-index`: exit code or signal); then stops the upstream, drops the
    /// database and removes the data.
    func stop() async -> [String: Int32] {
        await gateways.stop()
        var endings: [String: Int32] = [:]
        for replica in replicas.values.flatMap({ $0 }) where replica.process.exitStatus == nil { _ = replica.process.signal(SIGTERM, toGroup: false) }
        for replica in replicas.values.flatMap({ $0 }) { endings["\(replica.service)-\(replica.index)"] = await TestSupport.waitForExit(replica.process) }
        await client.shutdown()
        upstream.stop()
        database.remove()
        try? FileManager.default.removeItem(at: dataRoot)
        return endings
    }
}
