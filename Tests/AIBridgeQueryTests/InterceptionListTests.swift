@testable import AIBridgeQuery
import Contracts
import Foundation
import Testing
import TestSupport

@Suite("GET /api/v2/aibridge/interceptions")
struct InterceptionListTests {
    @Test("an empty store answers count 0 and an empty array", arguments: TestBackend.allCases)
    func empty(_ backend: TestBackend) async throws {
        let harness = try await Harness.make(backend)
        defer { Task { await harness.shutdown() } }
        let response = await harness.get("/api/v2/aibridge/interceptions")
        #expect(response.status == 200)
        #expect(response.text == #"{"count":0,"results":[]}"#)
    }

    @Test("newest first, usages ordered by created_at, every recorded field answered", arguments: TestBackend.allCases)
    func fieldsAndOrder(_ backend: TestBackend) async throws {
        let harness = try await Harness.make(backend)
        defer { Task { await harness.shutdown() } }
        var older = Call(user: alice, provider: "anthropic", model: "claude-4", started: at(0), client: "Claude Code", apiKeyID: "key-1")
        older.metadataJSON = #"{"Username":"alice"}"#
        older.tokens = [(100, 50), (7, 3)]
        older.prompt = "fix the bug"
        older.tools = [("toolu_1", "read_file"), ("toolu_2", "write_file")]
        let newer = Call(user: bob, started: at(10))
        try await harness.record([older, newer])

        let list = try await harness.interceptions()
        #expect(list.count == 2)
        #expect(list.results.map(\.id) == [lower(newer.id), lower(older.id)])
        let first = try #require(list.results.last)
        #expect(first.initiator == AIBridgeQueryAPI.MinimalUser(id: "11", username: "alice"))
        #expect(first.provider == "anthropic" && first.model == "claude-4" && first.client == "Claude Code" && first.apiKeyID == "key-1")
        #expect(first.metadata.object?["Username"]?.string == "alice")
        #expect(first.startedAt == AIBridgeQueryAPI.Timestamp(at(0)))
        #expect(first.endedAt == AIBridgeQueryAPI.Timestamp(at(1)))
        // Usages recorded with decreasing created_at come back ascending.
        #expect(first.tokenUsages.map(\.inputTokens) == [7, 100])
        #expect(first.tokenUsages.allSatisfy { $0.interceptionID == lower(older.id) })
        #expect(first.tokenUsages.first?.metadata.object?["cached"]?.integer == 1)
        #expect(first.userPrompts.map(\.prompt) == ["fix the bug"])
        #expect(first.toolUsages.map(\.tool) == ["read_file", "write_file"])
        #expect(first.toolUsages.first?.serverURL == "" && first.toolUsages.first?.invocationError == "")
        #expect(first.toolUsages.first?.input == #"{"n":0}"#)

        // Absent optionals are written as null, as coder does.
        let raw = await harness.get("/api/v2/aibridge/interceptions?" + q("initiator:bob"))
        #expect(raw.text.contains(#""api_key_id":null"#))
        #expect(raw.text.contains(#""client":null"#))
        #expect(raw.text.contains(#""user_prompts":[]"#) && raw.text.contains(#""tool_usages":[]"#))
    }

    @Test("in-flight interceptions are hidden from the list and the count", arguments: TestBackend.allCases)
    func inFlightHidden(_ backend: TestBackend) async throws {
        let harness = try await Harness.make(backend)
        defer { Task { await harness.shutdown() } }
        let ended = Call(started: at(0))
        let flying = Call(started: at(5), inFlight: true)
        try await harness.record([ended, flying])
        let list = try await harness.interceptions()
        #expect(list.count == 1)
        #expect(list.results.map(\.id) == [lower(ended.id)])
        // And as a cursor.
        let cursor = await harness.get("/api/v2/aibridge/interceptions?after_id=\(lower(flying.id))")
        #expect(cursor.status == 400)
        #expect(coderError(cursor)?.message == "Invalid pagination cursor.")
    }

    /// 20 rows, 10 of which share one start time (coder's acceptance test).
    func twentyRows() -> [Call] {
        (0..<20).map { index in
            Call(user: index % 2 == 0 ? alice : bob, started: index < 10 ? at(100) : at(Double(index)))
        }
    }

    /// The order coder's SQL gives: started_at DESC, id DESC.
    func expectedOrder(_ calls: [Call]) -> [String] {
        calls.sorted { ($0.started, lower($0.id)) > ($1.started, lower($1.id)) }.map { lower($0.id) }
    }

    @Test("after_id walks every row one at a time, stable order, count constant", arguments: TestBackend.allCases)
    func cursorWalk(_ backend: TestBackend) async throws {
        let harness = try await Harness.make(backend)
        defer { Task { await harness.shutdown() } }
        let calls = twentyRows()
        try await harness.record(calls)
        var seen: [String] = []
        var after: String?
        for _ in 0..<25 {
            let page = try await harness.interceptions("limit=1" + (after.map { "&after_id=\($0)" } ?? ""))
            #expect(page.count == 20)
            guard let row = page.results.first else { break }
            #expect(page.results.count == 1)
            seen.append(row.id)
            after = row.id
        }
        #expect(seen == expectedOrder(calls))
    }

    @Test("offset walks every row one at a time, stable order, count constant", arguments: TestBackend.allCases)
    func offsetWalk(_ backend: TestBackend) async throws {
        let harness = try await Harness.make(backend)
        defer { Task { await harness.shutdown() } }
        let calls = twentyRows()
        try await harness.record(calls)
        var seen: [String] = []
        for offset in 0..<21 {
            let page = try await harness.interceptions("limit=1&offset=\(offset)")
            #expect(page.count == 20)
            seen += page.results.map(\.id)
        }
        #expect(seen == expectedOrder(calls))
        let all = try await harness.interceptions()
        #expect(all.results.map(\.id) == expectedOrder(calls))
    }

    @Test("paging parameters: defaults, limits and coder's texts")
    func pagingErrors() async throws {
        let harness = try await Harness.make()
        defer { Task { await harness.shutdown() } }
        let calls = (0..<105).map { Call(started: at(Double($0))) }
        try await harness.record(calls)
        #expect(try await harness.interceptions().results.count == 100)
        #expect(try await harness.interceptions("limit=0").results.count == 100)
        #expect(try await harness.interceptions("limit=").results.count == 100)
        #expect(try await harness.interceptions("limit=1000").results.count == 105)

        let tooMany = await harness.get("/api/v2/aibridge/interceptions?limit=1001")
        #expect(tooMany.status == 400)
        #expect(coderError(tooMany) == CoderError(message: "Invalid pagination limit value.", detail: "Pagination limit must be in range (0, 1000]"))

        let both = await harness.get("/api/v2/aibridge/interceptions?after_id=\(lower(calls[0].id))&offset=1")
        #expect(both.status == 400)
        #expect(coderError(both) == CoderError(message: "Query parameters have invalid values.",
                                               detail: "Cannot use both after_id and offset pagination in the same request."))

        let bad = await harness.get("/api/v2/aibridge/interceptions?limit=-1&offset=abc&after_id=nope")
        #expect(bad.status == 400)
        #expect(coderError(bad) == CoderError(message: "Query parameters have invalid values.", validations: [
            .init(field: "after_id", detail: #"Query param "after_id" must be a valid uuid"#),
            .init(field: "limit", detail: #"Query param "limit" must be a valid 32-bit positive integer: value is negative"#),
            .init(field: "offset", detail: #"Query param "offset" must be a valid 32-bit positive integer: strconv.ParseInt: parsing "abc": invalid syntax"#),
        ]))
        let huge = await harness.get("/api/v2/aibridge/interceptions?offset=99999999999")
        #expect(coderError(huge)?.validations?.first?.detail
            == #"Query param "offset" must be a valid 32-bit positive integer: strconv.ParseInt: parsing "99999999999": value out of range"#)

        let unknown = UUID()
        let cursor = await harness.get("/api/v2/aibridge/interceptions?after_id=\(unknown.uuidString)")
        #expect(cursor.status == 400)
        #expect(coderError(cursor) == CoderError(message: "Invalid pagination cursor.",
                                                 detail: "after_id: interception \(lower(unknown)) not found: invalid pagination cursor"))
    }

    @Test("without an identity: 401 in coder's envelope")
    func unauthenticated() async throws {
        let harness = try await Harness.make()
        defer { Task { await harness.shutdown() } }
        let response = await harness.get("/api/v2/aibridge/interceptions", as: nil)
        #expect(response.status == 401)
        #expect(coderError(response)?.message.isEmpty == false)
    }
}
