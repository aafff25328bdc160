@testable import AIBridgeQuery
import Contracts
import Foundation
import Testing
import TestSupport

@Suite("AIBridgeStore: the recording contract")
struct StoreTests {
    @Test("finish ends once; an unknown finish and a second start throw", arguments: TestBackend.allCases)
    func finishOnce(_ backend: TestBackend) async throws {
        let harness = try await Harness.make(backend)
        defer { Task { await harness.shutdown() } }
        let call = Call(started: at(0), tokens: [(10, 5)], prompt: "hi")
        try await harness.record([call])
        var again = call.outcome
        again.endedAt = at(99)
        again.tokenUsages = [RecordedTokenUsage(providerResponseID: "x", inputTokens: 1000, outputTokens: 1000, createdAt: at(99))]
        again.userPrompt = nil
        try await harness.store.finish(again)
        let list = try await harness.interceptions()
        #expect(list.results.first?.endedAt == AIBridgeQueryAPI.Timestamp(at(1)))
        #expect(list.results.first?.tokenUsages.map(\.inputTokens) == [10])
        #expect(try await harness.sessions().sessions.first?.tokenUsageSummary == .init(inputTokens: 10, outputTokens: 5))

        let unknown = UUID()
        await #expect(throws: AIBridgeStoreError.unknownInterception(unknown)) {
            try await harness.store.finish(RecordedOutcome(interceptionID: unknown, endedAt: at(1)))
        }
        await #expect(throws: AIBridgeStoreError.duplicateInterception(call.id)) {
            try await harness.store.start(call.interception)
        }
    }

    @Test("toolCallOrigin: the newest tool usage with that id, and its root", arguments: TestBackend.allCases)
    func toolCallOrigin(_ backend: TestBackend) async throws {
        let harness = try await Harness.make(backend)
        defer { Task { await harness.shutdown() } }
        #expect(try await harness.store.toolCallOrigin(providerToolCallID: "call_1") == nil)
        let root = Call(started: at(0), tools: [("call_1", "search")])
        try await harness.record([root])
        let origin = try #require(try await harness.store.toolCallOrigin(providerToolCallID: "call_1"))
        #expect(origin == ToolCallOrigin(interceptionID: root.id, threadRootID: nil))
        #expect(origin.rootForChild == root.id)
        var child = Call(started: at(10), tools: [("call_2", "search")])
        child.parent = origin.interceptionID
        child.root = origin.rootForChild
        try await harness.record([child])
        #expect(try await harness.store.toolCallOrigin(providerToolCallID: "call_2") == ToolCallOrigin(interceptionID: child.id, threadRootID: root.id))
        // An in-flight interception's tool calls are not recorded yet; nothing to find.
        try await harness.record([Call(started: at(20), inFlight: true, tools: [("call_3", "x")])])
        #expect(try await harness.store.toolCallOrigin(providerToolCallID: "call_3") == nil)
    }

    @Test("what finish returned from is there after the store is closed and opened again", arguments: TestBackend.allCases)
    func reopen(_ backend: TestBackend) async throws {
        let dir = temporaryDirectory()
        let database = try TestDatabaseLocation(backend)
        let first = try await Harness.make(backend, dir: dir, database: database)
        let calls = [Call(started: at(0), clientSessionID: "s", prompt: "p"), Call(started: at(5), inFlight: true)]
        try await first.record(calls)
        let before = try await first.interceptions()
        await first.instance.definition.onShutdown()
        let second = try await Harness.make(backend, dir: dir, database: database)
        defer { Task { await second.shutdown() } }
        #expect(try await second.interceptions() == before)
        #expect(try await second.sessions().sessions.map(\.id) == ["s"])
        // The in-flight one can still be finished.
        try await second.store.finish(calls[1].outcome)
        #expect(try await second.interceptions().count == 2)
    }

    @Test("batched recording equals start + finish, and kept sessions equal sessions grouped at query time", arguments: TestBackend.allCases)
    func keptEqualsGrouped(_ backend: TestBackend) async throws {
        let harness = try await Harness.make(backend)
        defer { Task { await harness.shutdown() } }
        var generator = SystemRandomNumberGenerator()
        var calls: [Call] = []
        var roots: [UUID] = []
        for index in 0..<300 {
            var call = Call(user: [alice, bob, admin][index % 3], provider: index % 4 == 0 ? "anthropic" : "openai",
                            model: ["gpt-4o", "claude-4", "gpt-4o-mini"][Int.random(in: 0..<3, using: &generator)],
                            started: at(Double(Int.random(in: 0..<200, using: &generator))),
                            client: index % 5 == 0 ? nil : "Codex",
                            clientSessionID: index % 3 == 0 ? "cs-\(index % 7)" : nil,
                            tokens: [(Int64(index), Int64(index * 2))], prompt: index % 2 == 0 ? "prompt \(index)" : nil)
            if index % 6 == 1, let root = roots.randomElement(using: &generator) {
                call.root = root
                call.parent = root
            } else {
                roots.append(call.id)
            }
            calls.append(call)
        }
        try await harness.store.record(batch: calls.map { ($0.interception, $0.outcome) })
        // Every interception (no filter: kept rows) vs the same through a filter every row matches (grouped).
        let kept = try await harness.sessions("limit=1000")
        let grouped = try await harness.sessions("limit=1000&" + q(#"started_after:"2000-01-01T00:00:00Z""#))
        #expect(kept.count == grouped.count)
        #expect(kept.sessions == grouped.sessions)
        #expect(kept.sessions.map(\.tokenUsageSummary.inputTokens).reduce(0, +) == Int64((0..<300).reduce(0, +)))
        // Filtered without a date (grouped from session facets) vs the same filter with a
        // date every row matches (grouped from interceptions), walked by cursor too.
        for filter in ["provider:anthropic", "model:claude-4", "client:Unknown", "client:Codex model:gpt-4o"] {
            let facets = try await harness.sessions("limit=1000&" + q(filter))
            let rows = try await harness.sessions("limit=1000&" + q(filter + #" started_after:"2000-01-01T00:00:00Z""#))
            #expect(facets == rows, "\(filter)")
            #expect(!facets.sessions.isEmpty, "\(filter)")
            // The cursor: a session id no other user's session shares (a shared one names the
            // earliest-started of them), and the session after it.
            let ids = facets.sessions.map(\.id)
            let index = try #require(ids.indices.dropLast().first { position in ids.filter { $0 == ids[position] }.count == 1 })
            let next = try await harness.sessions("limit=1&after_session_id=\(ids[index])&" + q(filter))
            #expect(next.sessions.first == facets.sessions[index + 1], "\(filter)")
        }
        #expect(try await harness.interceptions().count == 300)
        #expect(try await harness.interceptions(q("provider:anthropic")).count == 75)
    }

    @Test("two replicas on one PostgreSQL schema finishing calls of the same sessions at once: every call lands, kept sessions equal grouped ones")
    func replicasRecordConcurrently() async throws {
        let database = try TestDatabaseLocation(.postgres)
        let first = try await Harness.make(.postgres, database: database)
        let second = try await Harness.make(.postgres, database: database)
        defer { Task { await second.shutdown() } }
        // 120 calls in 6 client sessions of 2 users, started on both replicas, then finished
        // concurrently, alternating replicas: every finish folds into a shared session row.
        let calls = (0..<120).map { index in
            Call(user: index % 2 == 0 ? alice : bob, started: at(Double(index)), clientSessionID: "shared-\(index % 3)",
                 tokens: [(Int64(index), 1)], prompt: "p\(index)")
        }
        for (index, call) in calls.enumerated() { try await (index % 2 == 0 ? first : second).store.start(call.interception) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, call) in calls.enumerated() {
                let store = (index % 3 == 0 ? first : second).store
                group.addTask { try await store.finish(call.outcome) }
            }
            try await group.waitForAll()
        }
        for harness in [first, second] {
            let kept = try await harness.sessions("limit=1000")
            let grouped = try await harness.sessions("limit=1000&" + q(#"started_after:"2000-01-01T00:00:00Z""#))
            #expect(kept.count == 6)
            #expect(kept.sessions == grouped.sessions)
            #expect(kept.sessions.map(\.tokenUsageSummary.inputTokens).reduce(0, +) == Int64((0..<120).reduce(0, +)))
            #expect(try await harness.interceptions().count == 120)
        }
        await first.instance.definition.onShutdown()
    }
}
