import Contracts
import Foundation
import HTTPCore
import ServiceKit
import Testing
@testable import TaskManager
import TestSupport

/// Progress on `/ws` over a real socket: our WebSocket client, and Python's `websockets`
/// (`deploy/checks/progress_check.py`) as an outside client.
@Suite("progress over WebSocket")
struct ProgressTests {
    typealias API = TaskManagerAPI
    static var python: String { ProcessInfo.processInfo.environment["TEST_PYTHON"] ?? "deploy/.venv/bin/python" }
    static let identityHeaders: HTTPHeaders = [IdentityHeaders.internalToken: "test-internal-token", IdentityHeaders.userID: "7",
                                               IdentityHeaders.userName: "ada", IdentityHeaders.roles: "user"]

    /// The fixture's application on a real socket.
    static func serve(_ fx: TaskManagerFixture) throws -> HTTPServer {
        let server = HTTPServer(configuration: HTTPServerConfiguration.testing(), responder: fx.app)
        try server.start()
        return server
    }

    @Test func generateTaskProgressReachesTheSubscriberInOrder() async throws {
        let github = try GitHubTaskTests.fake()
        let fx = try await TaskManagerFixture(["GITHUB_API_URL": github.url])
        let server = try Self.serve(fx)
        let socket = try await WebSocketClient.connect("ws://127.0.0.1:\(server.port)/ws?jobId=gen-1", headers: Self.identityHeaders,
                                                       using: fx.client, timeout: .seconds(300))
        // Another user subscribing to the same id sees nothing of ada's job.
        var eveHeaders = Self.identityHeaders
        eveHeaders.set(IdentityHeaders.userID, "8")
        let eve = try await WebSocketClient.connect("ws://127.0.0.1:\(server.port)/ws?jobId=gen-1", headers: eveHeaders,
                                                    using: fx.client, timeout: .seconds(300))
        let response = await fx.call(.POST, "/api/github/generate-task",
                                     body: API.GenerateTaskRequest(repoUrl: "https://github.com/octo/widgets", prNumber: 34, jobId: "gen-1"))
        #expect(response.status == 200)
        var messages: [API.ProgressMessage] = []
        for await message in socket.messages {
            guard case .text(let text) = message else { continue }
            let progress = try JSON.decode(API.ProgressMessage.self, from: Array(text.utf8))
            messages.append(progress)
            if progress.stage == "done" { break }
        }
        #expect(messages.allSatisfy { $0.jobId == "gen-1" })
        #expect(messages.map(\.progress) == messages.map(\.progress).sorted())
        #expect(messages.last?.progress == 1)
        #expect(messages.contains { $0.stage.hasPrefix("fetching repository") } || messages.first?.stage == "done")
        // A subscription message, then a malformed one, on eve's socket.
        try await eve.send(text: #"{"subscribe":"other"}"#)
        try await eve.send(text: "nonsense")
        var eveMessages = eve.messages.makeAsyncIterator()
        let refusal = await eveMessages.next()
        #expect(refusal == .text(#"{"detail":"expected {\"subscribe\": \"<jobId>\"} or {\"unsubscribe\": \"<jobId>\"}"}"#))
        await socket.close()
        await eve.close()
        await server.shutdown(gracePeriod: .milliseconds(100))
        await fx.close()
        await github.stop()
    }

    @Test func failedJobsSayWhy() async throws {
        let bridge = try FakeLLMBridge(script: [.error(status: 401, message: "bad key")])
        let fx = try await TaskManagerFixture(["AIBRIDGE_URL": bridge.url])
        let server = try Self.serve(fx)
        let socket = try await WebSocketClient.connect("ws://127.0.0.1:\(server.port)/ws", headers: Self.identityHeaders,
                                                       using: fx.client, timeout: .seconds(300))
        try await socket.send(text: #"{"subscribe":"sft-9"}"#)
        var last: API.ProgressMessage?
        let response = await fx.call(.POST, "/api/sft/generate", body: SFTTests.request(jobId: "sft-9"))
        #expect(response.status == 502)
        // The hub kept the job's latest message: a late subscriber gets it too.
        try await socket.send(text: #"{"subscribe":"sft-9"}"#)
        for await message in socket.messages {
            guard case .text(let text) = message else { continue }
            last = try JSON.decode(API.ProgressMessage.self, from: Array(text.utf8))
            if last?.stage.hasPrefix("failed") == true { break }
        }
        #expect(last?.stage.hasPrefix("failed: LLM request failed: upstream answered 401: bad key") == true, "\(String(describing: last))")
        await socket.close()
        await server.shutdown(gracePeriod: .milliseconds(100))
        await fx.close()
        await bridge.stop()
    }

    @Test func pythonWebSocketsClientReadsProgress() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.python), "run deploy/test, which provisions \(Self.python)")
        let bridge = try FakeLLMBridge(script: [.content(FakeLLMBridge.items(1)), .content(FakeLLMBridge.items(1, start: 5))])
        let fx = try await TaskManagerFixture(["AIBRIDGE_URL": bridge.url])
        let server = try Self.serve(fx)
        // The Python client subscribes, then we start the job; it prints every message until "done".
        let headers = Self.identityHeaders.map { "\($0.name)=\($0.value)" }
        let child = Task {
            try await TestSupport.run(URL(fileURLWithPath: Self.python),
                                      arguments: ["deploy/checks/progress_check.py", "ws://127.0.0.1:\(server.port)/ws?jobId=py-1"] + headers,
                                      includingStandardError: true)
        }
        // Once the Python client is connected, start the job (a subscription that comes a
        // moment later still gets the job's latest message from the hub).
        _ = await eventually(timeout: .seconds(120), polling: .milliseconds(20)) { server.connectionCount >= 1 }
        let response = await fx.call(.POST, "/api/sft/generate", body: SFTTests.request(count: 2, jobId: "py-1"))
        #expect(response.status == 200, "\(response.text)")
        let result = try await child.value
        #expect(result.status == 0, "\(result.output)")
        let lines = result.output.split(separator: "\n").filter { $0.hasPrefix("{") }
        let messages = try lines.map { try JSON.decode(API.ProgressMessage.self, from: Array($0.utf8)) }
        #expect(messages.last?.stage == "done", "\(result.output)")
        #expect(messages.last?.progress == 1)
        #expect(messages.allSatisfy { $0.jobId == "py-1" })
        await server.shutdown(gracePeriod: .milliseconds(100))
        await fx.close()
        await bridge.stop()
    }

    /// Replicas on one PostgreSQL database: what one hub publishes reaches the followers of
    /// the job on the other (in order, for its owner only), once on its own, and a long stage
    /// is cut to fit a notification.
    @Test func progressPublishedOnOneReplicaReachesTheOthersFollowers() async throws {
        let database = try TestDatabaseLocation(.postgres)
        let stores = [try await TaskStore.open(database.location, poolSize: 2, schema: database.schema),
                      try await TaskStore.open(database.location, poolSize: 2, schema: database.schema)]
        let relays = stores.map { ProgressRelay(db: $0.db) }
        let hubs = relays.map { ProgressHub(relay: $0) }
        let listeners = (0..<2).map { index in Task { try await ProgressRelayListener(relay: relays[index], hub: hubs[index]).run() } }
        // Until the second replica listens, a probe is announced again.
        let probe = JobKey(owner: "7", jobID: "probe")
        let live = await eventually(timeout: .seconds(60)) {
            await hubs[0].publish(API.ProgressMessage(progress: 0, stage: "probe", jobId: probe.jobID), owner: probe.owner)
            return await hubs[1].latest(for: probe) != nil
        }
        try #require(live)

        let key = JobKey(owner: "7", jobID: "relay-1")
        let (first, firstStream) = await hubs[0].connect()
        await hubs[0].subscribe(first, to: key)
        let (second, secondStream) = await hubs[1].connect()
        await hubs[1].subscribe(second, to: key)
        let (eve, eveStream) = await hubs[1].connect()
        await hubs[1].subscribe(eve, to: JobKey(owner: "8", jobID: key.jobID))
        let stages = ["fetching", "round 1 of 2", "round 2 of 2", "done"]
        for (index, stage) in stages.enumerated() {
            await hubs[0].publish(API.ProgressMessage(progress: Double(index + 1) / 4, stage: stage, jobId: key.jobID), owner: key.owner)
        }
        func received(on stream: ProgressHub.Stream, until last: String) async -> [String] {
            var seen: [String] = []
            for await message in stream {
                seen.append(message.stage)
                if message.stage == last { break }
            }
            return seen
        }
        #expect(await received(on: secondStream, until: "done") == stages)
        // The second replica's own message comes back to the first after the first's own
        // announcements would have: none of those is delivered there twice.
        await hubs[1].publish(API.ProgressMessage(progress: 1, stage: "after", jobId: key.jobID), owner: key.owner)
        #expect(await received(on: firstStream, until: "after") == stages + ["after"])
        await hubs[1].disconnect(eve)
        #expect(await received(on: eveStream, until: "done").isEmpty)

        let long = JobKey(owner: "7", jobID: "long")
        await hubs[0].publish(API.ProgressMessage(progress: 1, stage: "failed: " + String(repeating: "é", count: 3_000), jobId: long.jobID),
                              owner: long.owner)
        let cut = await eventually(timeout: .seconds(60)) { await hubs[1].latest(for: long) != nil }
        #expect(cut)
        let relayed = try #require(await hubs[1].latest(for: long))
        #expect(relayed.stage.utf8.count <= ProgressRelay.maxStageBytes && relayed.stage.hasPrefix("failed: éé"))
        #expect(await hubs[0].latest(for: long)?.stage.count == 3_008)

        for listener in listeners { listener.cancel() }
        for store in stores { await store.db.close() }
        database.remove()
    }
}
