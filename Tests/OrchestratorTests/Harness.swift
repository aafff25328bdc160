import Contracts
import Foundation
import HTTPCore
@testable import Orchestrator
import ServiceKit
import Storage
import Testing
import TestSupport

let user = Identity(userID: "u1", name: "alice", roles: ["user"])
let admin = Identity(userID: "a1", name: "root", roles: ["admin"])
let compute = Identity(userID: "c1", name: "compute", roles: ["compute"])

/// A fresh temporary directory.
func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("orch-test-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// How a harness reaches the orchestrator.
enum Transport: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// In-process, through its HTTP application.
    case inProcess
    /// Over sockets, through the real `auth-gateway` binary (HTTP Basic, user name + API
    /// key, as Morpheo's clients send) to the real `orchestrator` binary.
    case gateway
    var testDescription: String { rawValue }
}

/// An orchestrator driven over HTTP: in-process, or through the real gateway; on SQLite
/// (in `dir`) or PostgreSQL (`database`).
struct Harness {
    let app: Application!
    let instance: OrchestratorService.Instance!
    let dir: URL
    var live: LiveGateway? = nil
    var background: BackgroundWork? = nil
    /// The in-process service's metrics (the limits' counters).
    var metrics = Metrics()
    /// The database (SQLite: nil, the file in `dir`).
    var database: OrchestratorTestDatabase? = nil

    static func make(dir: URL = temporaryDirectory(), env: [String: String] = [:], transport: Transport,
                     backend: TestBackend = .sqlite) async throws -> Harness {
        if transport == .gateway {
            let database = try OrchestratorTestDatabase.make(backend, forBinaries: true)
            var env = env
            if let url = database?.url { env["DATABASE_URL"] = url }
            return Harness(app: nil, instance: nil, dir: dir, live: try await LiveGateway.start(dir: dir, orchestratorEnv: env),
                           database: database)
        }
        return try await make(dir: dir, env: env, backend: backend)
    }

    /// An in-process orchestrator on `backend` (a fresh database), or on `database` (one
    /// an earlier harness used: a restart).
    static func make(dir: URL = temporaryDirectory(), env: [String: String] = [:], backend: TestBackend = .sqlite,
                     database: OrchestratorTestDatabase? = nil) async throws -> Harness {
        let database = try database ?? OrchestratorTestDatabase.make(backend, forBinaries: false)
        var environment = ["DATA_DIR": dir.path]
        if let url = database?.url { environment["DATABASE_URL"] = url }
        environment.merge(env) { $1 }
        let logger = Logger(service: "test", level: .error)
        let options = try OrchestratorService.options(OrchestratorService.config(environment: environment))
        let metrics = Metrics()
        let instance = try await OrchestratorService.instance(options, logger: logger, metrics: metrics,
                                                              schema: database?.schema ?? OrchestratorStore.postgresSchema)
        return Harness(app: Application(testing: instance.definition, metrics: metrics), instance: instance, dir: dir,
                       background: BackgroundWork(instance.definition.background, logger: logger), metrics: metrics,
                       database: database)
    }

    func post(_ path: String, _ json: String, as identity: Identity? = user) async -> TestResponse {
        if let live { return await live.call(.POST, path, identity: identity, body: Array(json.utf8)) }
        return await app.call(.POST, path, identity: identity, headers: ["Content-Type": "application/json"], body: Array(json.utf8))
    }

    func get(_ path: String, as identity: Identity? = user) async -> TestResponse {
        if let live { return await live.call(.GET, path, identity: identity, body: []) }
        return await app.call(.GET, path, identity: identity)
    }

    /// Stops the service (the database stays: see `remove`).
    func stop() async {
        if let live { await live.stop(); return }
        await background?.stop()
        await instance.definition.onShutdown()
    }

    /// Stops the service and deletes a PostgreSQL database.
    func shutdown() async {
        await stop()
        database?.remove()
    }

    // Fixtures

    @discardableResult
    func problem(_ uuid: String, test: [String] = [], size: Int = 2, workflow: String = "W1") async -> TestResponse {
        await post("/problem", #"{"uuid":"\#(uuid)","workflow":"\#(workflow)","test_dataset":\#(jsonList(test)),"size_train_dataset":\#(size)}"#)
    }

    @discardableResult
    func algo(_ uuid: String, problem: String, name: String = "algo") async -> TestResponse {
        await post("/algo", #"{"uuid":"\#(uuid)","name":"\#(name)","problem":"\#(problem)"}"#)
    }

    @discardableResult
    func data(_ uuids: [String], problems: [String]) async -> TestResponse {
        await post("/data", #"{"uuid":\#(jsonList(uuids)),"problems":\#(jsonList(problems))}"#)
    }

    /// The learnuplets matching a query, as objects.
    func learnuplets(_ query: String = "") async -> [[String: Any]] {
        list(await get("/learnuplet" + (query.isEmpty ? "" : "?" + query)), "learnuplets")
    }

    /// Claims and completes a learnuplet with `perf`.
    func train(_ id: String, perf: Double) async {
        let c = await post("/worker/learnuplet/\(id)", #"{"worker":"w"}"#, as: compute)
        #expect(c.status == 200, "\(c.text)")
        let d = await post("/learndone/\(id)", #"{"status":"done","perf":\#(perf),"train_perf":{"d1":\#(perf)},"test_perf":{"t1":\#(perf)}}"#, as: compute)
        #expect(d.status == 200, "\(d.text)")
    }
}

func jsonList(_ a: [String]) -> String { "[" + a.map { "\"\($0)\"" }.joined(separator: ",") + "]" }

/// The body as a dictionary (Foundation types).
func object(_ r: TestResponse) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(r.body))) as? [String: Any] ?? [:]
}

/// A list in the body.
func list(_ r: TestResponse, _ key: String) -> [[String: Any]] {
    object(r)[key] as? [[String: Any]] ?? []
}

/// The `Error` message of a Morpheo error body.
func errorMessage(_ r: TestResponse) -> String? { object(r)["Error"] as? String }
