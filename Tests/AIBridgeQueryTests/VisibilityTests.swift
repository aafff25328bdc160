@testable import AIBridgeQuery
import Contracts
import Foundation
import Testing
import TestSupport

@Suite("who sees what: admins and auditors everything, users their own")
struct VisibilityTests {
    static let calls: [Call] = [
        Call(user: alice, model: "gpt-4o", started: at(0), clientSessionID: "a"),
        Call(user: bob, model: "claude-4", started: at(10), clientSessionID: "b"),
        Call(user: alice, model: "gpt-4o-mini", started: at(20), clientSessionID: "a"),
    ]

    @Test("interceptions, sessions and models per caller", arguments: TestBackend.allCases)
    func perCaller(_ backend: TestBackend) async throws {
        let harness = try await Harness.make(backend)
        defer { Task { await harness.shutdown() } }
        try await harness.record(Self.calls)
        for reader in [admin, auditor] {
            #expect(try await harness.interceptions(as: reader).count == 3)
            #expect(try await harness.sessions(as: reader).sessions.map(\.id) == ["b", "a"])  // "a" started at 0, "b" at 10
            #expect(await harness.get("/api/v2/aibridge/models", as: reader).text == #"["claude-4","gpt-4o","gpt-4o-mini"]"#)
        }
        let mine = try await harness.interceptions(as: alice)
        #expect(mine.count == 2 && mine.results.allSatisfy { $0.initiator.id == "11" })
        #expect(try await harness.interceptions(q("initiator:me"), as: alice).count == 2)
        #expect(try await harness.interceptions(q("initiator:alice"), as: alice).count == 2)
        #expect(try await harness.sessions(as: bob).sessions.map(\.id) == ["b"])
        #expect(try await harness.sessions(q("provider:openai"), as: bob).sessions.map(\.id) == ["b"])
        #expect(await harness.get("/api/v2/aibridge/models", as: bob).text == #"["claude-4"]"#)
    }

    @Test("a user naming another user gets coder's unknown-user error; a UUID is taken as is", arguments: TestBackend.allCases)
    func otherUsers(_ backend: TestBackend) async throws {
        let harness = try await Harness.make(backend)
        defer { Task { await harness.shutdown() } }
        try await harness.record(Self.calls)
        let named = await harness.get("/api/v2/aibridge/interceptions?" + q("initiator:bob"), as: alice)
        #expect(named.status == 400)
        #expect(coderError(named)?.validations?.first?.field == "initiator")
        let byID = await harness.get("/api/v2/aibridge/interceptions?" + q("initiator:12"), as: alice)
        #expect(byID.status == 400)
        #expect(try await harness.interceptions(q("initiator:\(UUID().uuidString)"), as: alice).count == 0)
        // Another user's interception is no cursor.
        let rows = try await harness.interceptions(q("initiator:bob"))
        let cursor = await harness.get("/api/v2/aibridge/interceptions?after_id=\(rows.results[0].id)", as: alice)
        #expect(cursor.status == 400)
    }

    @Test("a user name is learnt from the identity headers of any request", arguments: TestBackend.allCases)
    func namesLearnt(_ backend: TestBackend) async throws {
        let harness = try await Harness.make(backend)
        defer { Task { await harness.shutdown() } }
        let carol = Identity(userID: "13", name: "carol", roles: ["user"])
        try await harness.record([Call(user: carol, started: at(0))])
        // Not seen yet: her rows show her id, her name is unknown.
        #expect(try await harness.interceptions().results.first?.initiator.username == "13")
        #expect(await harness.get("/api/v2/aibridge/interceptions?" + q("initiator:carol")).status == 400)
        _ = await harness.get("/api/v2/aibridge/models", as: carol)
        #expect(try await harness.interceptions(q("initiator:carol")).count == 1)
        #expect(try await harness.interceptions().results.first?.initiator.username == "carol")
    }
}

@Suite("GET /api/v2/aibridge/models")
struct ModelListTests {
    @Test("distinct models, ascending, case-sensitive prefix, paged, in-flight hidden", arguments: TestBackend.allCases)
    func models(_ backend: TestBackend) async throws {
        let harness = try await Harness.make(backend)
        defer { Task { await harness.shutdown() } }
        try await harness.record([
            Call(model: "gpt-4o", started: at(0)), Call(model: "gpt-4o", started: at(1)), Call(model: "GPT-5", started: at(2)),
            Call(model: "claude-4", started: at(3)), Call(model: "gpt-4o-mini", started: at(4)),
            Call(model: "o3", started: at(5), inFlight: true),
        ])
        #expect(await harness.get("/api/v2/aibridge/models").text == #"["GPT-5","claude-4","gpt-4o","gpt-4o-mini"]"#)
        #expect(await harness.get("/api/v2/aibridge/models?" + q("gpt")).text == #"["gpt-4o","gpt-4o-mini"]"#)
        #expect(await harness.get("/api/v2/aibridge/models?" + q("model:gpt-4o-")).text == #"["gpt-4o-mini"]"#)
        #expect(await harness.get("/api/v2/aibridge/models?" + q("model:GPT")).text == #"["GPT-5"]"#)
        #expect(await harness.get("/api/v2/aibridge/models?" + q("o3")).text == "[]")
        #expect(await harness.get("/api/v2/aibridge/models?limit=2&offset=1").text == #"["claude-4","gpt-4o"]"#)
        let bad = await harness.get("/api/v2/aibridge/models?" + q("provider:openai"))
        #expect(coderError(bad) == CoderError(message: "Invalid AI Bridge models search query.",
                                              validations: [.init(field: "provider", detail: #"Query param "provider" is not a valid query param"#)]))
        #expect(await harness.get("/api/v2/aibridge/models?limit=1001").status == 400)
    }
}
