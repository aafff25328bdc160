@testable import AIBridgeQuery
import Contracts
import Foundation
import Testing
import TestSupport

@Suite("GET /api/v2/aibridge/sessions")
struct SessionTests {
    /// coder's acceptance fixture, oldest session first:
    /// - "session-A" (alice, client session id): a root and a child answering its tool call;
    /// - a thread without client session id (bob): a root and a child, id = the root;
    /// - a standalone interception (alice), no prompt;
    /// - "session-multi" (alice): two roots, two providers.
    struct Fixture {
        let rootA = Call(user: alice, provider: "anthropic", model: "claude-4", started: at(0), client: "claude-code",
                         clientSessionID: "session-A", tokens: [(100, 50)], prompt: "first prompt", tools: [("toolu_A", "bash")])
        var childA: Call
        let threadRoot = Call(user: bob, started: at(100), tokens: [(1, 1)], prompt: "thread prompt", tools: [("call_T", "ls")])
        var threadChild: Call
        let standalone = Call(user: alice, started: at(200), client: "Codex", tokens: [(3, 4)])
        let multiOne = Call(user: alice, provider: "anthropic", model: "claude-4", started: at(300), clientSessionID: "session-multi",
                            prompt: "multi one")
        let multiTwo = Call(user: alice, provider: "openai", model: "gpt-4o", started: at(310), clientSessionID: "session-multi",
                            prompt: "multi two")

        init() {
            childA = Call(user: alice, provider: "anthropic", model: "claude-4-haiku", started: at(10), client: "claude-code",
                          clientSessionID: "session-A", tokens: [(200, 75)], prompt: "last prompt in session")
            childA.parent = rootA.id
            childA.root = rootA.id
            threadChild = Call(user: bob, started: at(110), tokens: [(2, 2)])
            threadChild.parent = threadRoot.id
            threadChild.root = threadRoot.id
        }

        var calls: [Call] { [rootA, childA, threadRoot, threadChild, standalone, multiOne, multiTwo] }
    }

    @Test("sessions group by client session id, thread root or the interception; fields aggregate", arguments: TestBackend.allCases)
    func grouping(_ backend: TestBackend) async throws {
        let harness = try await Harness.make(backend)
        defer { Task { await harness.shutdown() } }
        let fixture = Fixture()
        try await harness.record(fixture.calls)
        let list = try await harness.sessions()
        #expect(list.count == 4)
        #expect(list.sessions.map(\.id) == ["session-multi", lower(fixture.standalone.id), lower(fixture.threadRoot.id), "session-A"])

        let a = try #require(list.sessions.last)
        #expect(a.initiator == AIBridgeQueryAPI.MinimalUser(id: "11", username: "alice"))
        #expect(a.providers == ["anthropic"])
        #expect(a.models == ["claude-4", "claude-4-haiku"])
        #expect(a.client == "claude-code")
        #expect(a.tokenUsageSummary == .init(inputTokens: 300, outputTokens: 125))
        #expect(a.lastPrompt == "last prompt in session")
        #expect(a.threads == 1)
        #expect(a.startedAt == AIBridgeQueryAPI.Timestamp(at(0)))
        #expect(a.endedAt == AIBridgeQueryAPI.Timestamp(at(11)))

        let thread = list.sessions[2]
        #expect(thread.threads == 1 && thread.initiator.username == "bob" && thread.client == nil)
        #expect(thread.tokenUsageSummary == .init(inputTokens: 3, outputTokens: 3))

        let standalone = list.sessions[1]
        #expect(standalone.threads == 1 && standalone.lastPrompt == nil && standalone.client == "Codex")
        let raw = await harness.get("/api/v2/aibridge/sessions?" + q("session_id:\(lower(fixture.standalone.id))"))
        #expect(!raw.text.contains("last_prompt"))

        let multi = list.sessions[0]
        #expect(multi.threads == 2)
        #expect(multi.providers == ["anthropic", "openai"])
        #expect(multi.models == ["claude-4", "gpt-4o"])
        #expect(multi.lastPrompt == "multi two")
    }

    @Test("the same client session id for two users is two sessions", arguments: TestBackend.allCases)
    func collision(_ backend: TestBackend) async throws {
        let harness = try await Harness.make(backend)
        defer { Task { await harness.shutdown() } }
        try await harness.record([
            Call(user: alice, started: at(0), clientSessionID: "shared", tokens: [(100, 50)]),
            Call(user: bob, started: at(5), clientSessionID: "shared", tokens: [(200, 75)]),
        ])
        let list = try await harness.sessions()
        #expect(list.count == 2)
        #expect(list.sessions.map(\.id) == ["shared", "shared"])
        #expect(list.sessions.map(\.initiator.id) == ["12", "11"])
        #expect(list.sessions.map(\.tokenUsageSummary) == [.init(inputTokens: 200, outputTokens: 75), .init(inputTokens: 100, outputTokens: 50)])
        // Filtered (grouped at query time) the same.
        let filtered = try await harness.sessions(q("provider:openai"))
        #expect(filtered.sessions == list.sessions)
    }

    @Test("in-flight interceptions are not part of any session", arguments: TestBackend.allCases)
    func inFlight(_ backend: TestBackend) async throws {
        let harness = try await Harness.make(backend)
        defer { Task { await harness.shutdown() } }
        try await harness.record([
            Call(user: alice, started: at(0), clientSessionID: "s1", tokens: [(1, 1)]),
            Call(user: alice, started: at(5), inFlight: true, clientSessionID: "s1"),
            Call(user: alice, started: at(9), inFlight: true, clientSessionID: "s2"),
        ])
        let list = try await harness.sessions()
        #expect(list.count == 1)
        #expect(list.sessions.map(\.id) == ["s1"])
        #expect(list.sessions.first?.endedAt == AIBridgeQueryAPI.Timestamp(at(1)))
        let filtered = try await harness.sessions(q("model:gpt-4o"))
        #expect(filtered.count == 1 && filtered.sessions.map(\.id) == ["s1"])
    }

    @Test("limit, offset and after_session_id page the sessions; count ignores paging", arguments: TestBackend.allCases)
    func paging(_ backend: TestBackend) async throws {
        let harness = try await Harness.make(backend)
        defer { Task { await harness.shutdown() } }
        try await harness.record((0..<5).map { Call(started: at(Double($0 * 10)), clientSessionID: "s\($0)") })
        let first = try await harness.sessions("limit=2")
        #expect(first.count == 5 && first.sessions.map(\.id) == ["s4", "s3"])
        let second = try await harness.sessions("limit=2&offset=2")
        #expect(second.count == 5 && second.sessions.map(\.id) == ["s2", "s1"])
        let cursor = try await harness.sessions("limit=2&after_session_id=s3")
        #expect(cursor.count == 5 && cursor.sessions.map(\.id) == ["s2", "s1"])
        let filteredCursor = try await harness.sessions("limit=2&after_session_id=s3&" + q("provider:openai"))
        #expect(filteredCursor.sessions.map(\.id) == ["s2", "s1"])

        let both = await harness.get("/api/v2/aibridge/sessions?after_session_id=s3&offset=2")
        #expect(coderError(both) == CoderError(message: "Query parameters have invalid values.",
                                               detail: "Cannot use both after_session_id and offset pagination in the same request."))
        let missing = await harness.get("/api/v2/aibridge/sessions?after_session_id=nope")
        #expect(missing.status == 400)
        #expect(coderError(missing) == CoderError(message: "Query parameter has invalid value.", detail: #"after_session_id: session "nope" not found"#))
        let tooMany = await harness.get("/api/v2/aibridge/sessions?limit=1001")
        #expect(coderError(tooMany) == CoderError(message: "Invalid pagination limit value.", detail: "Pagination limit must be in range (0, 1000]"))
        // Another user's session is not a cursor for alice... nor anything for bob.
        let hidden = await harness.get("/api/v2/aibridge/sessions?after_session_id=s3", as: bob)
        #expect(hidden.status == 400)
    }

    @Test("walking sessions that share a start time, by cursor and by offset, kept and grouped",
          arguments: TestBackend.allCases, ["", "provider:openai"])
    func walk(_ backend: TestBackend, _ filter: String) async throws {
        let harness = try await Harness.make(backend)
        defer { Task { await harness.shutdown() } }
        let calls = (0..<12).map { index in
            Call(user: index % 3 == 0 ? bob : alice, started: index < 6 ? at(50) : at(Double(index)), clientSessionID: "s\(index % 9)")
        }
        try await harness.record(calls)
        let filterQuery = filter.isEmpty ? "" : "&" + q(filter)
        let all = try await harness.sessions("limit=100" + filterQuery)
        #expect(all.count == Int64(all.sessions.count))
        var byCursor: [String] = []
        var after: String?
        for _ in 0..<20 {
            let page = try await harness.sessions("limit=1" + (after.map { "&after_session_id=\($0)" } ?? "") + filterQuery)
            #expect(page.count == all.count)
            guard let session = page.sessions.first else { break }
            byCursor.append(session.id + "/" + session.initiator.id)
            after = session.id
        }
        var byOffset: [String] = []
        for offset in 0..<20 {
            let page = try await harness.sessions("limit=1&offset=\(offset)" + filterQuery)
            #expect(page.count == all.count)
            byOffset += page.sessions.map { $0.id + "/" + $0.initiator.id }
        }
        let expected = all.sessions.map { $0.id + "/" + $0.initiator.id }
        #expect(byOffset == expected)
        #expect(byCursor == expected)
        #expect(Set(expected).count == expected.count)
    }

    /// Each session filter's hit and miss over the fixture (ids expected, newest first).
    static let filters: [(query: String, expected: [String])] = [
        ("initiator:bob", ["thread"]),
        ("initiator:alice", ["session-multi", "standalone", "session-A"]),
        ("initiator:12", ["thread"]),
        ("provider:openai", ["session-multi", "standalone", "thread"]),
        ("provider:nope", []),
        ("model:claude-4-haiku", ["session-A"]),
        ("model:nope", []),
        ("client:claude-code", ["session-A"]),
        ("client:Unknown", ["session-multi", "thread"]),
        ("client:nope", []),
        ("session_id:session-A", ["session-A"]),
        ("session_id:nope", []),
        (#"started_after:"2026-01-01T00:03:00Z""#, ["session-multi", "standalone"]),
        (#"started_after:"2026-01-01T01:00:00Z""#, []),
        (#"started_before:"2026-01-01T00:00:05Z""#, ["session-A"]),
    ]

    @Test("each session filter hits and misses", arguments: TestBackend.allCases, 0..<SessionTests.filters.count)
    func filter(_ backend: TestBackend, _ index: Int) async throws {
        let harness = try await Harness.make(backend)
        defer { Task { await harness.shutdown() } }
        let fixture = Fixture()
        try await harness.record(fixture.calls)
        let names = ["thread": lower(fixture.threadRoot.id), "standalone": lower(fixture.standalone.id)]
        let (query, expected) = Self.filters[index]
        let list = try await harness.sessions(q(query))
        #expect(list.sessions.map(\.id) == expected.map { names[$0] ?? $0 }, "q=\(query)")
        #expect(list.count == Int64(expected.count), "q=\(query)")
    }

    @Test("filters apply to interceptions before grouping", arguments: TestBackend.allCases)
    func filteredAggregates(_ backend: TestBackend) async throws {
        let harness = try await Harness.make(backend)
        defer { Task { await harness.shutdown() } }
        let fixture = Fixture()
        try await harness.record(fixture.calls)
        let haiku = try #require(try await harness.sessions(q("model:claude-4-haiku")).sessions.first)
        #expect(haiku.models == ["claude-4-haiku"])
        #expect(haiku.tokenUsageSummary == .init(inputTokens: 200, outputTokens: 75))
        #expect(haiku.startedAt == AIBridgeQueryAPI.Timestamp(at(10)))
        let multi = try #require(try await harness.sessions(q("session_id:session-multi provider:anthropic")).sessions.first)
        #expect(multi.providers == ["anthropic"] && multi.threads == 1 && multi.lastPrompt == "multi one")
    }

    @Test("q errors of /sessions: a bare term, unknown keys, dates")
    func errors() async throws {
        let harness = try await Harness.make()
        defer { Task { await harness.shutdown() } }
        let cases: [(String, String, String)] = [
            ("alice", "q", "no search key specified"),
            ("colour:red", "colour", #"Query param "colour" is not a valid query param"#),
            ("initiator:nobody", "initiator",
             #"Query param "initiator" has invalid value: user "nobody" either does not exist, or you are unauthorized to view them"#),
            ("started_after:invalid", "started_after",
             #"Query param "started_after" must be a valid date format (2006-01-02T15:04:05.999999999Z07:00): parsing time "INVALID" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "INVALID" as "2006""#),
            ("started_before:invalid", "started_before",
             #"Query param "started_before" must be a valid date format (2006-01-02T15:04:05.999999999Z07:00): parsing time "INVALID" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "INVALID" as "2006""#),
            (#"started_after:"2026-01-02T00:00:00Z" started_before:"2026-01-01T00:00:00Z""#, "started_before",
             #"Query param "started_before" has invalid value: "started_before" must be after "started_after" if set"#),
        ]
        for (query, field, detail) in cases {
            let response = await harness.get("/api/v2/aibridge/sessions?" + q(query))
            #expect(response.status == 400)
            #expect(coderError(response) == CoderError(message: "Invalid session search query.",
                                                       validations: [.init(field: field, detail: detail)]), "q=\(query)")
        }
    }
}
