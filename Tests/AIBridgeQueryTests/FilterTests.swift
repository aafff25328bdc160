@testable import AIBridgeQuery
import Contracts
import Foundation
import Testing
import TestSupport

@Suite("q filters of /interceptions")
struct FilterTests {
    /// alice: openai gpt-4o Codex at 0; anthropic claude-4 no client at 10. bob: openai gpt-4o-mini Zed at 20.
    static let calls: [Call] = [
        Call(user: alice, provider: "openai", model: "gpt-4o", started: at(0), client: "Codex"),
        Call(user: alice, provider: "anthropic", model: "claude-4", started: at(10)),
        Call(user: bob, provider: "openai", model: "gpt-4o-mini", started: at(20), client: "Zed"),
    ]

    func ids(_ indexes: [Int]) -> [String] { indexes.map { lower(Self.calls[$0].id) } }

    /// Each filter's hit and miss: the exact ordered ids and the count.
    static let cases: [(query: String, expected: [Int])] = [
        ("", [2, 1, 0]),
        ("initiator:me", []),
        ("initiator:alice", [1, 0]),
        ("initiator:11", [1, 0]),
        ("alice", [1, 0]),
        ("initiator:bob", [2]),
        ("INITIATOR:bob", [2]),
        ("initiator:\(UUID().uuidString)", []),
        ("provider:openai", [2, 0]),
        ("provider:OpenAI", []),
        ("model:gpt-4o", [0]),
        ("model:gpt", []),
        ("client:Codex", [0]),
        ("client:Unknown", [1]),
        ("client:Cursor", []),
        (#"started_after:"2026-01-01T00:00:10Z""#, [2, 1]),
        (#"started_after:"2026-01-01T00:00:21Z""#, []),
        (#"started_before:"2026-01-01T00:00:10Z""#, [1, 0]),
        (#"started_before:"2025-12-31T23:59:59Z""#, []),
        (#"started_after:"2026-01-01T00:00:05Z" started_before:"2026-01-01T00:00:15Z""#, [1]),
        (#"started_after:"2026-01-01T00:00:11Z" started_before:"2026-01-01T00:00:19Z""#, []),
        (#"started_after:"2026-01-01T01:00:05+01:00""#, [1, 2]),
        ("provider:openai initiator:alice", [0]),
        ("provider:openai provider:anthropic", [2, 0]),
        (#"provider:"" model:claude-4"#, [1]),
    ]

    @Test("each filter hits and misses", arguments: TestBackend.allCases, 0..<FilterTests.cases.count)
    func filter(_ backend: TestBackend, _ index: Int) async throws {
        let harness = try await Harness.make(backend)
        defer { Task { await harness.shutdown() } }
        try await harness.record(Self.calls)
        let (query, expected) = Self.cases[index]
        let list = try await harness.interceptions(q(query))
        // started_after with an offset: 01:00:05+01:00 is 00:00:05Z; newest first.
        let order = expected.sorted { Self.calls[$0].started > Self.calls[$1].started }
        #expect(list.results.map(\.id) == ids(order), "q=\(query)")
        #expect(list.count == Int64(expected.count), "q=\(query)")
    }

    @Test("initiator:me is the caller", arguments: TestBackend.allCases)
    func me(_ backend: TestBackend) async throws {
        let harness = try await Harness.make(backend)
        defer { Task { await harness.shutdown() } }
        try await harness.record(Self.calls)
        let list = try await harness.interceptions(q("initiator:me"), as: bob)
        #expect(list.results.map(\.id) == ids([2]))
    }

    /// Each malformed `q` and coder's validation.
    static let errors: [(query: String, field: String, detail: String)] = [
        ("initiator:nobody", "initiator",
         #"Query param "initiator" has invalid value: user "nobody" either does not exist, or you are unauthorized to view them"#),
        ("started_after:invalid", "started_after",
         #"Query param "started_after" must be a valid date format (2006-01-02T15:04:05.999999999Z07:00): parsing time "INVALID" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "INVALID" as "2006""#),
        ("started_before:invalid", "started_before",
         #"Query param "started_before" must be a valid date format (2006-01-02T15:04:05.999999999Z07:00): parsing time "INVALID" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "INVALID" as "2006""#),
        (#"started_after:"2026-01-02T00:00:00Z" started_before:"2026-01-01T00:00:00Z""#, "started_before",
         #"Query param "started_before" has invalid value: "started_before" must be after "started_after" if set"#),
        (#"started_after:"2026-01-01T00:00:00Z" started_before:"2026-01-01T00:00:00Z""#, "started_before",
         #"Query param "started_before" has invalid value: "started_before" must be after "started_after" if set"#),
        ("started_after:2026-01-01T00:00:00Z", "q", #"Query element "started_after:2026-01-01T00:00:00Z" can only contain 1 ':'"#),
        ("provider:", "q", #"Query element "provider:" cannot start or end with ':'"#),
        (":openai", "q", #"Query element ":openai" cannot start or end with ':'"#),
        ("colour:red", "colour", #"Query param "colour" is not a valid query param"#),
        ("session_id:abc", "session_id", #"Query param "session_id" is not a valid query param"#),
        (#"started_after:"2026-13-01T00:00:00Z""#, "started_after",
         #"Query param "started_after" must be a valid date format (2006-01-02T15:04:05.999999999Z07:00): parsing time "2026-13-01T00:00:00Z": month out of range"#),
    ]

    @Test("each malformed q answers 400 with coder's message and validation", arguments: 0..<FilterTests.errors.count)
    func error(_ index: Int) async throws {
        let harness = try await Harness.make()
        defer { Task { await harness.shutdown() } }
        let (query, field, detail) = Self.errors[index]
        let response = await harness.get("/api/v2/aibridge/interceptions?" + q(query))
        #expect(response.status == 400)
        #expect(coderError(response) == CoderError(message: "Invalid workspace search query.",
                                                   validations: [.init(field: field, detail: detail)]), "q=\(query)")
    }
}
