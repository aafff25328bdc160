import Contracts
import Foundation
import HTTPCore
import ServiceKit
import TaskManager
import TestSupport

/// A task-manager on a temporary DATA_DIR, driven in-process (`app.call`), with a local
/// GitHub and a local LLM bridge when a test asks for them.
final class TaskManagerFixture: @unchecked Sendable {
    let dataDirectory: URL
    /// The test's PostgreSQL index, when on that backend (removed by `close`).
    let database: TestDatabaseLocation?
    let instance: TaskManagerService.Instance
    let app: Application
    let client = HTTPClient(configuration: .testing())
    /// The caller every request is made as (through the gateway).
    static let caller = Identity(userID: "7", name: "ada", roles: ["user"])

    /// Makes a fixture; `environment` adds settings (GITHUB_API_URL, AIBRIDGE_URL, limits,
    /// TASKS_DIR). On `.postgres` the index is a fresh schema, or `database` (a replica of
    /// another fixture: give both the same TASKS_DIR).
    init(_ environment: [String: String] = [:], dataDirectory: URL? = nil, backend: TestBackend = .sqlite,
         database: TestDatabaseLocation? = nil) async throws {
        let directory = dataDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("tm-\(UUID().uuidString)")
        self.dataDirectory = directory
        var settings = ["DATA_DIR": directory.path, "INTERNAL_TOKEN": "test-internal-token", "LLM_RETRY_BASE_MS": "1",
                        "GITHUB_API_URL": "http://127.0.0.1:1", "AIBRIDGE_URL": "http://127.0.0.1:1"]
        for (name, value) in environment { settings[name] = value }
        let database = try database ?? (backend == .postgres ? TestDatabaseLocation(.postgres) : nil)
        self.database = database
        if let database { settings["DATABASE_URL"] = Self.url(of: database) }
        var options = try TaskManagerService.options(TaskManagerService.config(environment: settings))
        if let database { options.databaseSchema = database.schema }
        instance = try await TaskManagerService.instance(options, logger: Logger(service: "test", level: .error), client: client)
        app = Application(testing: instance.definition, name: "task-manager")
    }

    /// The tasks root.
    var tasksRoot: URL { instance.repository.root }

    /// What this process has left in its staging area.
    func stagedEntries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: instance.repository.stagingDirectory.path)
    }

    /// A call as the caller with a raw JSON body.
    func call(_ method: HTTPMethod, _ target: String, json: String? = nil, headers: HTTPHeaders = HTTPHeaders()) async -> TestResponse {
        var headers = headers
        if json != nil { headers.set("Content-Type", "application/json") }
        return await app.call(method, target, identity: Self.caller, headers: headers, body: Array((json ?? "").utf8))
    }

    /// A call as the caller with an encodable body.
    func call<T: Encodable>(_ method: HTTPMethod, _ target: String, body: T) async -> TestResponse {
        await app.call(method, target, identity: Self.caller, json: body)
    }

    /// Creates a task through the API; returns its summary.
    func create(_ name: String, description: String = "", files: [String: String]? = nil) async throws -> TaskManagerAPI.TaskSummary {
        let response = await call(.POST, "/api/tasks", body: TaskManagerAPI.CreateTaskRequest(name: name, description: description, files: files))
        guard response.status == 200 else { throw FixtureError(message: "create answered \(response.status): \(response.text)") }
        return try response.json(TaskManagerAPI.TaskSummary.self)
    }

    /// `DATABASE_URL` for a test database.
    static func url(of database: TestDatabaseLocation) -> String {
        switch database.location {
        case .sqlite(let path): "sqlite:" + path
        case .postgres(let url): url
        }
    }

    /// Closes the store and removes the data.
    func close() async {
        await closeKeepingData()
        try? FileManager.default.removeItem(at: dataDirectory)
        database?.remove()
    }

    /// Closes the store, keeping the data (a restart reopens it).
    func closeKeepingData() async {
        await instance.definition.onShutdown()
        await client.shutdown()
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

extension TestResponse {
    /// The `detail` of an error body.
    var detail: String { (try? JSON.decode(DetailError.self, from: body).detail) ?? "<no detail: \(text)>" }
}
