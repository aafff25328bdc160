// aibridge-bench: the query API of aibridge-query over 1,000,000 recorded interceptions,
// in-process through the full HTTP application (identity middleware, routing, the
// handlers, JSON, SQLite in WAL on disk).
//
//   swift build -c release --product aibridge-bench
//   .build/release/aibridge-bench [--interceptions 1000000] [--dir /tmp/aibridge-bench] [--runs 200]
//   .build/release/aibridge-bench --database-url postgres://… [--interceptions 1000000] [--runs 200]
//
// With --database-url (or DATABASE_URL) the store is PostgreSQL (schema aibridge_query):
// the same generated calls are loaded with multi-row INSERTs (1,000 rows per statement,
// 5,000 calls per transaction) into the four recorded tables, then the kept tables
// (sessions, tallies, facets) are computed from them in SQL, as `finish` would have kept
// them, then VACUUM ANALYZE. A schema already holding that many interceptions is reused.
//
// The database is generated once under --dir (reused by later runs with the same size):
// 200 users (a few heavy, most light), 12 models over both providers, 5 clients, sessions
// of 1–40 interceptions (70 % with a client session id, the rest threads or standalone
// calls), each interception with a token usage, 60 % with a prompt, 30 % with tool calls,
// spread over 90 days. Rows go in through `AIBridgeStore.record(batch:)` (the bridge's
// start + finish statements, 5,000 calls per transaction).
import AIBridgeQuery
import Contracts
import Foundation
import ServiceKit
import Storage
import TestSupport

let args = CommandLine.arguments
func arg(_ name: String, _ fallback: String) -> String {
    if let index = args.firstIndex(of: name), index + 1 < args.count { return args[index + 1] }
    return fallback
}
let total = Int(arg("--interceptions", "1000000")) ?? 1_000_000
let runs = Int(arg("--runs", "200")) ?? 200
let directory = URL(fileURLWithPath: arg("--dir", "/tmp/aibridge-bench-\(total)"))
let databaseURL = arg("--database-url", ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "")
let onPostgres = !databaseURL.isEmpty

/// A seeded generator (SplitMix64): the same database every time.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let models: [(provider: String, model: String)] = [
    ("anthropic", "claude-sonnet-4"), ("anthropic", "claude-opus-4"), ("anthropic", "claude-haiku-4"), ("anthropic", "claude-3-7-sonnet"),
    ("openai", "gpt-4o"), ("openai", "gpt-4o-mini"), ("openai", "gpt-4.1"), ("openai", "gpt-4.1-mini"), ("openai", "o3"),
    ("openai", "o4-mini"), ("openai", "codestral-fim"), ("openai", "qwen2.5-coder-fim"),
]
let clients: [String?] = ["Claude Code", "Codex", "Zed", nil, "Cursor"]
let userCount = 200
let admin = Identity(userID: "admin", name: "admin", roles: ["admin"])
func userID(_ index: Int) -> String { "u\(index)" }

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Generates the database unless a complete one of this size is there.
func generate(store: AIBridgeStore) async throws {
    let marker = directory.appendingPathComponent("complete")
    if onPostgres {
        let present: Int64 = try await store.db.read { conn in try conn.queryOne("SELECT COUNT(*) FROM interception")?.get(0) ?? 0 }
        if present >= Int64(total) {
            print("reusing schema \(AIBridgeStore.postgresSchema) (\(present) interceptions)")
            return
        }
        if present > 0 { throw BenchError.partialSchema(present) }
    } else if FileManager.default.fileExists(atPath: marker.path) {
        print("reusing \(directory.path) (\(total) interceptions)")
        return
    }
    var random = SplitMix(state: 42)
    let begin = Date(timeIntervalSince1970: 1_767_225_600)
    let span = 90.0 * 86_400
    let clock = ContinuousClock.now
    var batch: [(interception: RecordedInterception, outcome: RecordedOutcome)] = []
    batch.reserveCapacity(5_000)
    var made = 0
    var sessionNumber = 0
    let prompt = String(repeating: "Refactor the request handler so that errors are reported once. ", count: 3)
    while made < total {
        // A session: one user (skewed: a few heavy users), one client, 1–40 interceptions.
        sessionNumber += 1
        let user = userID(Int(pow(Double.random(in: 0..<1, using: &random), 2.2) * Double(userCount)))
        let client = clients[Int.random(in: 0..<clients.count, using: &random)]
        let length = min(total - made, 1 + Int(pow(Double.random(in: 0..<1, using: &random), 2) * 40))
        let kind = Int.random(in: 0..<10, using: &random)
        let clientSession: String? = kind < 7 ? "sess-\(sessionNumber)" : nil
        var time = begin.addingTimeInterval(Double.random(in: 0..<span, using: &random))
        let family = Int.random(in: 0..<models.count, using: &random)
        var previous: (id: UUID, root: UUID?, callID: String)?
        for step in 0..<length {
            let choice = Int.random(in: 0..<10, using: &random) < 8 ? models[family] : models[Int.random(in: 0..<models.count, using: &random)]
            let id = UUID()
            // Threads: most follow-ups answer the previous call's tool call.
            var parent: UUID?
            var root: UUID?
            if let previous, kind != 9, Int.random(in: 0..<10, using: &random) < 7 {
                parent = previous.id
                root = previous.root ?? previous.id
            }
            if kind == 9 && step > 0 { break }  // standalone calls
            let interception = RecordedInterception(
                id: id, initiatorID: user, provider: choice.provider, model: choice.model, startedAt: time,
                metadataJSON: #"{"Username":"user-\#(user)","request_user_agent":"bench"}"#, apiKeyID: nil, client: client,
                clientSessionID: clientSession, threadParentID: parent, threadRootID: root)
            let ended = time.addingTimeInterval(Double.random(in: 0.5..<30, using: &random))
            let responseID = "resp-\(made)"
            var tools: [RecordedToolUsage] = []
            let callID = "call-\(made)"
            if Int.random(in: 0..<10, using: &random) < 3 {
                tools.append(RecordedToolUsage(providerResponseID: responseID, providerToolCallID: callID, tool: "read_file",
                                               input: #"{"path":"Sources/App/main.swift"}"#, createdAt: ended))
            }
            let outcome = RecordedOutcome(
                interceptionID: id, endedAt: ended,
                tokenUsages: [RecordedTokenUsage(providerResponseID: responseID, inputTokens: Int64.random(in: 100..<20_000, using: &random),
                                                 outputTokens: Int64.random(in: 10..<2_000, using: &random),
                                                 metadataJSON: #"{"cache_read_input":0}"#, createdAt: ended)],
                userPrompt: Int.random(in: 0..<10, using: &random) < 6
                    ? RecordedUserPrompt(providerResponseID: responseID, prompt: prompt, createdAt: time) : nil,
                toolUsages: tools)
            batch.append((interception, outcome))
            previous = (id, root, callID)
            made += 1
            time = ended.addingTimeInterval(Double.random(in: 1..<120, using: &random))
            if batch.count == 5_000 {
                try await record(batch, into: store)
                batch.removeAll(keepingCapacity: true)
                if made % 100_000 == 0 { print("  \(made) interceptions, \(String(format: "%.1f", seconds(ContinuousClock.now - clock))) s") }
            }
        }
    }
    if !batch.isEmpty { try await record(batch, into: store) }
    if onPostgres { try await PostgresBulkLoad.keepDerivedTables(store: store) }
    for index in 0..<userCount { try await store.rememberUser(id: userID(index), name: "user-\(index)") }
    let loaded = seconds(ContinuousClock.now - clock)
    if onPostgres {
        try PostgresBulkLoad.vacuumAnalyze(url: databaseURL)
    } else {
        try await store.analyze()
    }
    print(String(format: "generated %d interceptions (%d client sessions or threads) in %.1f s (%.0f/s), ANALYZE %.1f s", total, sessionNumber, loaded,
                 Double(total) / loaded, seconds(ContinuousClock.now - clock) - loaded))
    if !onPostgres { _ = FileManager.default.createFile(atPath: marker.path, contents: Data()) }
}

/// Stores generated calls: through the store's own statements on SQLite, by multi-row
/// INSERTs on PostgreSQL.
func record(_ batch: [(interception: RecordedInterception, outcome: RecordedOutcome)], into store: AIBridgeStore) async throws {
    if onPostgres {
        try await PostgresBulkLoad.insert(batch, into: store)
    } else {
        try await store.record(batch: batch)
    }
}

/// Runs `target` `count` times (after 3 warm-ups); prints p50/p99 in ms.
func measure(_ app: Application, _ name: String, _ target: String, as identity: Identity = admin, count: Int = runs) async {
    for _ in 0..<3 { _ = await app.call(.GET, target, identity: identity) }
    var times: [Double] = []
    var status = 0
    var bytes = 0
    for _ in 0..<count {
        let start = ContinuousClock.now
        let response = await app.call(.GET, target, identity: identity)
        times.append(seconds(ContinuousClock.now - start) * 1000)
        status = response.status
        bytes = response.body.count
    }
    times.sort()
    let p50 = times[times.count / 2]
    let p99 = times[min(times.count - 1, Int(Double(times.count) * 0.99))]
    print(String(format: "| %@ | %.2f | %.2f | %d | %d |", name, p50, p99, status, bytes))
}

/// The database's bytes on disk (file and WAL).
func databaseBytes() -> Int {
    [AIBridgeStore.fileName, AIBridgeStore.fileName + "-wal"].reduce(0) { sum, name in
        sum + ((try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)[.size] as? Int) ?? 0)
    }
}
var environment = ["DATA_DIR": directory.path]
if onPostgres { environment["DATABASE_URL"] = databaseURL }
let options = try AIBridgeQueryService.options(AIBridgeQueryService.config(environment: environment))
let instance = try await AIBridgeQueryService.instance(options, logger: Logger(service: "bench", level: .error))
try await generate(store: instance.store)
let app = Application(testing: instance.definition)
if onPostgres {
    let bytes: Int64 = try await instance.store.db.read { conn in
        try conn.queryOne("SELECT CAST(SUM(pg_total_relation_size(c.oid)) AS BIGINT) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'")?.get(0) ?? 0
    }
    print("database: PostgreSQL schema \(AIBridgeStore.postgresSchema), \(bytes / 1_048_576) MiB with indexes")
} else {
    print("database: \(databaseBytes() / 1_048_576) MiB")
}

// Cursors deep in the lists: the row and the session at position ~half.
func firstID(_ target: String, key: String, field: String) async -> String {
    let response = await app.call(.GET, target, identity: admin)
    let object = response.object?[key] as? [[String: Any]]
    return object?.first?[field] as? String ?? ""
}
let middle = min(500_000, total / 2)
let deepInterception = await firstID("/api/v2/aibridge/interceptions?limit=1&offset=\(middle)", key: "results", field: "id")
let sessionCount = (await app.call(.GET, "/api/v2/aibridge/sessions?limit=1", identity: admin)).object?["count"] as? Int ?? 0
let deepSession = await firstID("/api/v2/aibridge/sessions?limit=1&offset=\(sessionCount / 2)", key: "sessions", field: "id")
let member = Identity(userID: userID(3), name: "user-3", roles: ["user"])
func q(_ text: String) -> String { "q=" + FormCoding.percentEncode(text) }

print("\n\(total) interceptions, \(sessionCount) sessions; \(runs) runs each (fewer where marked), in-process HTTP; ms\n")
print("| request | p50 | p99 | status | bytes |")
print("|---|---|---|---|---|")
let base = "/api/v2/aibridge"
await measure(app, "interceptions, first page (100)", base + "/interceptions")
await measure(app, "interceptions, first page, limit=25", base + "/interceptions?limit=25")
await measure(app, "interceptions, member's own (first page)", base + "/interceptions", as: member)
await measure(app, "interceptions, q=initiator:user-3", base + "/interceptions?" + q("initiator:user-3"))
await measure(app, "interceptions, q=model:o3", base + "/interceptions?" + q("model:o3"))
await measure(app, "interceptions, q=provider:anthropic client:Zed", base + "/interceptions?" + q("provider:anthropic client:Zed"))
await measure(app, "interceptions, q=started_after (last 7 days)", base + "/interceptions?" + q(#"started_after:"2026-03-25T00:00:00Z""#))
await measure(app, "interceptions, q=started_before (first 7 days)", base + "/interceptions?" + q(#"started_before:"2026-01-08T00:00:00Z""#))
await measure(app, "interceptions, deep page by cursor (after_id at \(middle))", base + "/interceptions?after_id=\(deepInterception)")
await measure(app, "interceptions, deep page by offset=\(middle)", base + "/interceptions?offset=\(middle)", count: max(10, runs / 10))
await measure(app, "sessions, first page (100)", base + "/sessions")
await measure(app, "sessions, member's own (first page)", base + "/sessions", as: member)
await measure(app, "sessions, q=initiator:user-3", base + "/sessions?" + q("initiator:user-3"))
await measure(app, "sessions, q=session_id:sess-1000", base + "/sessions?" + q("session_id:sess-1000"))
await measure(app, "sessions, deep page by cursor (after_session_id at \(sessionCount / 2))", base + "/sessions?after_session_id=\(deepSession)")
await measure(app, "sessions, deep page by offset=\(sessionCount / 2)", base + "/sessions?offset=\(sessionCount / 2)", count: max(10, runs / 10))
await measure(app, "sessions, member's own, q=model:o3 (grouped at query time)", base + "/sessions?" + q("model:o3"), as: member,
              count: max(10, runs / 10))
await measure(app, "sessions, q=model:o3 (grouped at query time)", base + "/sessions?" + q("model:o3"), count: max(5, runs / 20))
await measure(app, "sessions, q=started_after (last 7 days, grouped)", base + "/sessions?" + q(#"started_after:"2026-03-25T00:00:00Z""#),
              count: max(5, runs / 20))
await measure(app, "models", base + "/models")
await measure(app, "models, q=gpt", base + "/models?" + q("gpt"))
await instance.definition.onShutdown()
