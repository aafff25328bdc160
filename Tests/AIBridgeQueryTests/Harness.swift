@testable import AIBridgeQuery
import Contracts
import Foundation
import HTTPCore
import ServiceKit
import Testing
import TestSupport

let alice = Identity(userID: "11", name: "alice", roles: ["user"])
let bob = Identity(userID: "12", name: "bob", roles: ["user"])
let admin = Identity(userID: "1", name: "root", roles: ["admin"])
let auditor = Identity(userID: "2", name: "watcher", roles: ["auditor"])

/// A fresh temporary directory.
func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("aibridge-test-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A fixed base time (2026-01-01T00:00:00Z) and offsets from it.
let base = Date(timeIntervalSince1970: 1_767_225_600)
func at(_ seconds: Double) -> Date { base.addingTimeInterval(seconds) }

/// One call to record, as the bridge would: `start`, then `finish` unless `inFlight`.
struct Call {
    var id = UUID()
    var user = alice
    var provider = "openai"
    var model = "gpt-4o"
    var started: Date = base
    var duration: Double = 1
    var inFlight = false
    var client: String?
    var clientSessionID: String?
    var parent: UUID?
    var root: UUID?
    var apiKeyID: String?
    var metadataJSON = "{}"
    /// (input, output) per token usage.
    var tokens: [(Int64, Int64)] = [(10, 5)]
    var prompt: String?
    /// (provider call id, tool name) per tool call.
    var tools: [(String, String)] = []

    var interception: RecordedInterception {
        RecordedInterception(id: id, initiatorID: user.userID, provider: provider, model: model, startedAt: started,
                             metadataJSON: metadataJSON, apiKeyID: apiKeyID, client: client, clientSessionID: clientSessionID,
                             threadParentID: parent, threadRootID: root)
    }

    var outcome: RecordedOutcome {
        let ended = started.addingTimeInterval(duration)
        return RecordedOutcome(
            interceptionID: id, endedAt: ended,
            tokenUsages: tokens.enumerated().map { index, pair in
                RecordedTokenUsage(providerResponseID: "resp-\(index)", inputTokens: pair.0, outputTokens: pair.1,
                                   metadataJSON: #"{"cached":\#(index)}"#, createdAt: ended.addingTimeInterval(Double(-index) * 0.1))
            },
            userPrompt: prompt.map { RecordedUserPrompt(providerResponseID: "resp-0", prompt: $0, createdAt: started) },
            toolUsages: tools.enumerated().map { index, tool in
                RecordedToolUsage(providerResponseID: "resp-0", providerToolCallID: tool.0, tool: tool.1, input: #"{"n":\#(index)}"#,
                                  createdAt: ended.addingTimeInterval(Double(index) * 0.01))
            })
    }
}

/// aibridge-query in-process, driven over HTTP, seeded through the store's recording API,
/// on SQLite in its `DATA_DIR` or on PostgreSQL in a schema of its own (`TestDatabaseLocation`).
struct Harness {
    let app: Application
    let instance: AIBridgeQueryService.Instance
    let dir: URL
    /// The test's database when not the default file in `dir` (removed by `shutdown`).
    let database: TestDatabaseLocation?

    var store: AIBridgeStore { instance.store }

    /// A harness on `backend`: SQLite in `dir`, or PostgreSQL in a fresh schema; `database`
    /// names one to reopen (either backend).
    static func make(_ backend: TestBackend = .sqlite, dir: URL = temporaryDirectory(),
                     database: TestDatabaseLocation? = nil) async throws -> Harness {
        var options = try AIBridgeQueryService.options(AIBridgeQueryService.config(environment: ["DATA_DIR": dir.path]))
        let database = try database ?? (backend == .postgres ? TestDatabaseLocation(.postgres) : nil)
        if let database {
            options.database = database.location
            options.databaseSchema = database.schema
            options.databasePoolSize = 2
        }
        let instance = try await AIBridgeQueryService.instance(options, logger: Logger(service: "test", level: .error))
        let harness = Harness(app: Application(testing: instance.definition), instance: instance, dir: dir, database: database)
        // Every test user has made a request: the service knows their names.
        for user in [alice, bob, admin, auditor] { _ = await harness.get("/api/v2/aibridge/models", as: user) }
        return harness
    }

    func record(_ calls: [Call]) async throws {
        for call in calls {
            try await store.start(call.interception)
            if !call.inFlight { try await store.finish(call.outcome) }
        }
    }

    func get(_ target: String, as identity: Identity? = admin) async -> TestResponse {
        await app.call(.GET, target, identity: identity)
    }

    func interceptions(_ query: String = "", as identity: Identity = admin) async throws -> AIBridgeQueryAPI.ListInterceptionsResponse {
        let response = await get("/api/v2/aibridge/interceptions" + (query.isEmpty ? "" : "?" + query), as: identity)
        #expect(response.status == 200, "\(response.text)")
        return try response.json(AIBridgeQueryAPI.ListInterceptionsResponse.self)
    }

    func sessions(_ query: String = "", as identity: Identity = admin) async throws -> AIBridgeQueryAPI.ListSessionsResponse {
        let response = await get("/api/v2/aibridge/sessions" + (query.isEmpty ? "" : "?" + query), as: identity)
        #expect(response.status == 200, "\(response.text)")
        return try response.json(AIBridgeQueryAPI.ListSessionsResponse.self)
    }

    func shutdown() async {
        await instance.definition.onShutdown()
        try? FileManager.default.removeItem(at: dir)
        database?.remove()
    }
}

/// `q=` percent-encoded.
func q(_ text: String) -> String {
    "q=" + FormCoding.percentEncode(text)
}

/// The lowercase id of a call.
func lower(_ id: UUID) -> String { id.uuidString.lowercased() }

/// The coder error of a response.
func coderError(_ response: TestResponse) -> CoderError? {
    try? response.json(CoderError.self)
}
