import Foundation
import HTTPCore
@testable import Orchestrator
import Testing
import TestSupport

/// A local compute: records pushes, answers 503 while down.
final class FakeCompute: Sendable {
    actor State {
        var up: Bool
        var received: [(path: String, body: [UInt8])] = []
        var refused = 0
        init(up: Bool) { self.up = up }
        func setUp(_ u: Bool) { up = u }
        func record(_ path: String, _ body: [UInt8]) -> Bool {
            guard up else { refused += 1; return false }
            received.append((path, body))
            return true
        }
        func paths() -> [String] { received.map(\.path) }
        func rawBodies() -> [[UInt8]] { received.map(\.body) }
    }

    /// The pushed bodies, decoded.
    func bodies() async -> [[String: Any]] {
        await state.rawBodies().map { (try? JSONSerialization.jsonObject(with: Data($0))) as? [String: Any] ?? [:] }
    }
    let state: State
    let server: HTTPServer

    init(up: Bool) throws {
        let state = State(up: up)
        self.state = state
        server = HTTPServer(configuration: HTTPServerConfiguration.testing()) { req in
            let body = (try? await req.body.collect(upTo: 1 << 20)) ?? []
            let ok = await state.record(req.path, body)
            return HTTPResponse(status: ok ? .ok : HTTPStatus(503), contentType: "application/json", body: Array("{}".utf8))
        }
        try server.start()
    }

    var url: String { "http://127.0.0.1:\(server.port)" }
    func stop() async { await server.shutdown(gracePeriod: .milliseconds(100)) }
}

@Suite struct OutboxTests {
    /// Quick retries; a push timeout far beyond any stall of a loaded machine, so a slow
    /// answer is never retried into a second push (the tests count pushes exactly).
    static let fastRetry = ["OUTBOX_RETRY_BASE_MS": "20", "OUTBOX_RETRY_MAX_S": "0.2", "COMPUTE_TIMEOUT_S": "300"]

    @Test(arguments: TestBackend.allCases) func pushesReadyLearnupletsAndPreduplets(_ backend: TestBackend) async throws {
        let compute = try FakeCompute(up: true)
        defer { Task { await compute.stop() } }
        let h = try await Harness.make(env: Self.fastRetry.merging(["COMPUTE_URL": compute.url]) { $1 }, backend: backend)
        defer { Task { await h.shutdown() } }
        await h.problem("P1", size: 1)
        await h.data(["d1", "d2"], problems: ["P1"])
        #expect(object(await h.algo("A1", problem: "P1"))["new_learnuplets"] as? Int == 2)
        // Only rank 0 is ready.
        try #require(await eventually { await compute.state.paths() == ["/learn"] })
        let first = try #require(await compute.bodies().first)
        #expect(first["rank"] as? Int == 0)
        #expect(first["model_start"] as? String == "A1")
        #expect(first["status"] as? String == "todo")
        // Training rank 0 readies rank 1.
        await h.train(try #require(first["uuid"] as? String), perf: 0.4)
        try #require(await eventually { await compute.state.paths() == ["/learn", "/learn"] })
        let second = try #require(await compute.bodies().dropFirst().first)
        #expect(second["rank"] as? Int == 1)
        #expect(second["model_start"] as? String != nil)
        let pred = await h.post("/prediction", #"{"data":"x","problem":"P1"}"#)
        #expect(pred.status == 201)
        try #require(await eventually { await compute.state.paths().last == "/pred" })
        #expect(await compute.bodies().last?["uuid"] as? String == object(pred)["uuid"] as? String)
        #expect(await eventually { (try? await h.instance.store.outboxCount()) == 0 })
    }

    @Test(arguments: TestBackend.allCases) func aFailingComputeNeverFailsTheRequestAndIsRetried(_ backend: TestBackend) async throws {
        let compute = try FakeCompute(up: false)
        defer { Task { await compute.stop() } }
        let h = try await Harness.make(env: Self.fastRetry.merging(["COMPUTE_URL": compute.url]) { $1 }, backend: backend)
        defer { Task { await h.shutdown() } }
        await h.problem("P1", size: 5)
        await h.data(["d1"], problems: ["P1"])
        let r = await h.algo("A1", problem: "P1")
        #expect(r.status == 201)
        try #require(await eventually { await compute.state.refused >= 2 })
        #expect(try await h.instance.store.outboxCount() == 1)
        #expect(await compute.state.paths().isEmpty)
        await compute.state.setUp(true)
        #expect(await eventually { await compute.state.paths() == ["/learn"] })
        #expect(await eventually { (try? await h.instance.store.outboxCount()) == 0 })
    }

    @Test(arguments: TestBackend.allCases) func anUnreachableComputeNeverFailsTheRequest(_ backend: TestBackend) async throws {
        let h = try await Harness.make(env: Self.fastRetry.merging(["COMPUTE_URL": "http://127.0.0.1:1"]) { $1 }, backend: backend)
        defer { Task { await h.shutdown() } }
        await h.problem("P1", size: 5)
        await h.data(["d1"], problems: ["P1"])
        #expect(await h.algo("A1", problem: "P1").status == 201)
        #expect(try await h.instance.store.outboxCount() == 1)
    }

    @Test(arguments: TestBackend.allCases) func undeliveredPushesSurviveARestart(_ backend: TestBackend) async throws {
        let compute = try FakeCompute(up: false)
        defer { Task { await compute.stop() } }
        let env = Self.fastRetry.merging(["COMPUTE_URL": compute.url]) { $1 }
        let dir = temporaryDirectory()
        let h1 = try await Harness.make(dir: dir, env: env, backend: backend)
        await h1.problem("P1", size: 5)
        await h1.data(["d1"], problems: ["P1"])
        await h1.algo("A1", problem: "P1")
        await h1.algo("A2", problem: "P1")
        #expect(try await h1.instance.store.outboxCount() == 2)
        await h1.stop()
        await compute.state.setUp(true)
        let h2 = try await Harness.make(dir: dir, env: env, database: h1.database)
        defer { Task { await h2.shutdown() } }
        try #require(await eventually { await compute.state.paths().count == 2 })
        #expect(await compute.bodies().map { $0["algo"] as? String } == ["A1", "A2"])
        #expect(await eventually { (try? await h2.instance.store.outboxCount()) == 0 })
    }

    /// A replica that leased an item and died (the lease is taken here and never given back):
    /// another replica delivers it once the lease ends, once.
    @Test(arguments: TestBackend.allCases) func itemsLeasedByADeadReplicaAreDeliveredByAnotherOnce(_ backend: TestBackend) async throws {
        let compute = try FakeCompute(up: false)
        defer { Task { await compute.stop() } }
        let env = Self.fastRetry.merging(["COMPUTE_URL": compute.url]) { $1 }
        let dir = temporaryDirectory()
        let h1 = try await Harness.make(dir: dir, env: env, backend: backend)
        await h1.problem("P1", size: 5)
        await h1.data(["d1"], problems: ["P1"])
        await h1.algo("A1", problem: "P1")
        await h1.stop()
        let dead = try await Harness.make(dir: dir, database: h1.database)
        let leased = try await dead.instance.store.leaseOutbox(limit: 8, seconds: 1)
        #expect(leased.map(\.path) == ["/learn"])
        // A second round finds nothing due while the lease holds.
        #expect(try await dead.instance.store.leaseOutbox(limit: 8, seconds: 1).isEmpty)
        await compute.state.setUp(true)
        let survivor = try await Harness.make(dir: dir, env: env, database: h1.database)
        defer { Task { await survivor.shutdown() } }
        #expect(await eventually { (try? await survivor.instance.store.outboxCount()) == 0 })
        #expect(await compute.bodies().map { $0["algo"] as? String } == ["A1"])
        // The dead round's late report changes nothing (its lease is gone with the item).
        try await dead.instance.store.retryLater(leased[0], attempts: 1, at: 0, error: "late")
        #expect(try await survivor.instance.store.outboxCount() == 0)
        await dead.stop()
    }

    @Test(arguments: TestBackend.allCases) func noPushWhenComputeURLIsEmpty(_ backend: TestBackend) async throws {
        let h = try await Harness.make(backend: backend)
        defer { Task { await h.shutdown() } }
        #expect(h.instance.pusher == nil)
        await h.problem("P1", size: 1)
        await h.data(["d1"], problems: ["P1"])
        await h.algo("A1", problem: "P1")
        #expect(try await h.instance.store.outboxCount() == 0)
    }
}
