import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Subprocess
import TestSupport

/// Real `auth-gateway` binaries, several replicas on one fresh PostgreSQL database
/// (`TestPostgresDatabase`), each on its own free port and data directory, with an admin
/// made by the command line. Unless told (`ScaleOutSystem` points each replica at its own
/// services), their upstreams are not started (the tests authenticate on `/admin/users`,
/// which no upstream serves); readiness is `/ping` (`/health` would be 503 with no upstream). Cached credentials are trusted for an hour
/// (`AUTH_CACHE_TTL_S=3600`): a refusal after a credential was cached comes from the
/// revocation announced on the database, not from the cache running out.
final class GatewayReplicaSystem: Sendable {
    /// The shared database.
    let database: TestPostgresDatabase
    /// The replicas' data directories live here.
    let dataRoot: URL
    /// Every replica's environment but its port and data directory (also the command line's).
    let environment: [String: String]
    /// Each replica's port, by index.
    let ports: [Int]
    /// Each replica's process, by index.
    let processes: [Subprocess]
    /// The admin's API key (user `root`, roles admin and user).
    let adminKey: String
    /// Whether `stop()` drops the database (it made it).
    let ownsDatabase: Bool

    private init(database: TestPostgresDatabase, ownsDatabase: Bool, dataRoot: URL, environment: [String: String], ports: [Int],
                 processes: [Subprocess], adminKey: String) {
        self.database = database
        self.ownsDatabase = ownsDatabase
        self.dataRoot = dataRoot
        self.environment = environment
        self.ports = ports
        self.processes = processes
        self.adminKey = adminKey
    }

    /// Makes the database (unless `database` is given: then the caller drops it) and the
    /// admin, starts `replicas` gateways and waits until each answers; stops them (and drops
    /// a database it made) again when one does not. `settings` add to or replace every
    /// replica's settings, `replicaSettings[index]` replica `index`'s (its upstreams).
    static func start(replicas: Int = 2, database given: TestPostgresDatabase? = nil, settings extra: [String: String] = [:],
                      replicaSettings: [[String: String]] = []) async throws -> GatewayReplicaSystem {
        let database = try given ?? TestPostgresDatabase()
        let dataRoot = FileManager.default.temporaryDirectory.appendingPathComponent("gw-replicas-\(UUID().uuidString)")
        var environment = ProcessInfo.processInfo.environment
        let settings = [
            "DATABASE_URL": database.url, "DATABASE_POOL_SIZE": "2", "INTERNAL_TOKEN": "replicas-\(UUID().uuidString)",
            "LOG_LEVEL": "warning", "ACCESS_LOG": "0", "AUTH_CACHE_TTL_S": "3600",
            "SESSION_RATE_PER_KEY": "0", "MAX_SESSIONS_PER_KEY": "0",
            // Nothing listens on the discard port: no upstream is used.
            "PREDICTOR_URL": "http://127.0.0.1:9", "TASK_MANAGER_URL": "http://127.0.0.1:9", "AIBRIDGE_URL": "http://127.0.0.1:9",
            "ORCHESTRATOR_URL": "http://127.0.0.1:9", "CODE_RUNNER_URL": "http://127.0.0.1:9",
            "DATA_DIR": dataRoot.appendingPathComponent("cli").path,
        ]
        for (name, value) in settings.merging(extra, uniquingKeysWith: { $1 }) { environment[name] = value }
        var processes: [Subprocess] = []
        do {
            let adminKey = try await run(["bootstrap-admin"], environment: environment).split(separator: "\n").last.map(String.init) ?? ""
            var ports: [Int] = []
            for index in 0..<replicas {
                let port = TestSupport.freePort()
                var own = environment
                own["PORT"] = String(port)
                own["DATA_DIR"] = dataRoot.appendingPathComponent("gateway-\(index)").path
                if index < replicaSettings.count { own.merge(replicaSettings[index]) { $1 } }
                processes.append(try await TestSupport.launch(TestSupport.binDir.appendingPathComponent("auth-gateway"), environment: own))
                ports.append(port)
            }
            for port in ports {
                let up = await eventually(timeout: .seconds(300), polling: .milliseconds(50)) {
                    (try? await SimpleHTTP.get(port: port, path: "/ping"))?.status == 200
                }
                guard up else { throw HarnessError(message: "auth-gateway on port \(port) did not answer /ping") }
            }
            return GatewayReplicaSystem(database: database, ownsDatabase: given == nil, dataRoot: dataRoot, environment: environment, ports: ports,
                                        processes: processes, adminKey: adminKey)
        } catch {
            for process in processes { await TestSupport.stop(process, signal: SIGKILL) }
            if given == nil { database.remove() }
            try? FileManager.default.removeItem(at: dataRoot)
            throw error
        }
    }

    /// Runs `auth-gateway ARGS` (the command line) on the shared database; its output.
    func commandLine(_ arguments: [String]) async throws -> String {
        try await Self.run(arguments, environment: environment)
    }

    private static func run(_ arguments: [String], environment: [String: String]) async throws -> String {
        let result = try await TestSupport.run(TestSupport.binDir.appendingPathComponent("auth-gateway"), arguments: arguments,
                                               environment: environment, includingStandardError: true)
        guard result.status == 0 else { throw HarnessError(message: "auth-gateway \(arguments.joined(separator: " ")) exited \(result.status): \(result.output)") }
        return result.output
    }

    /// `GET /admin/users` on replica `index` with `headers`: 200 for an accepted admin
    /// credential, 403 for a refused one.
    func adminUsers(on index: Int, _ headers: [String: String]) async throws -> SimpleHTTP.Response {
        try await SimpleHTTP.get(port: ports[index], path: "/admin/users", headers: headers)
    }

    /// A new session from replica `index` for `key`.
    func session(on index: Int, key: String) async throws -> String {
        let response = try await SimpleHTTP.get(port: ports[index], path: "/session", headers: ["API-Key": key])
        guard response.status == 200 else { throw HarnessError(message: "GET /session on replica \(index): \(response.status) \(response.body)") }
        return response.body
    }

    /// A new user with `roles` and a key for it, made through replica `index`'s `/admin`
    /// with the admin's key: the key's id and the key.
    func user(_ name: String, roles: [String], through index: Int) async throws -> (id: Int64, key: String) {
        let admin = ["API-Key": adminKey, "Content-Type": "application/json"]
        let body = String(decoding: try JSONSerialization.data(withJSONObject: ["name": name, "roles": roles] as [String: Any]), as: UTF8.self)
        let created = try await SimpleHTTP.request("POST", port: ports[index], path: "/admin/users", headers: admin, body: body)
        guard created.status == 201 else { throw HarnessError(message: "POST /admin/users: \(created.status) \(created.body)") }
        let keyResponse = try await SimpleHTTP.request("POST", port: ports[index], path: "/admin/users/\(name)/keys", headers: admin, body: "{}")
        guard keyResponse.status == 201,
              let object = try JSONSerialization.jsonObject(with: Data(keyResponse.body.utf8)) as? [String: Any],
              let id = (object["id"] as? NSNumber)?.int64Value, let key = object["key"] as? String
        else { throw HarnessError(message: "POST /admin/users/\(name)/keys: \(keyResponse.status) \(keyResponse.body)") }
        return (id, key)
    }

    /// Stops every replica still running (SIGTERM), drops the database (if it made it) and
    /// the data.
    func stop() async {
        for process in processes { await TestSupport.stop(process) }
        if ownsDatabase { database.remove() }
        try? FileManager.default.removeItem(at: dataRoot)
    }
}
