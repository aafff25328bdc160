import AuthGateway
import Foundation
import HTTPCore
import ServiceKit
import Synchronization
import Testing

/// Issue 10, finding 3 (the gateway's part): requests one user holds open at an upstream
/// could fill that upstream's pool, and everyone else's requests waited with no deadline.
/// Statuses collected from concurrent requests.
final class StatusLog: Sendable {
    private let statuses = Mutex<[Int]>([])
    func append(_ status: Int) { statuses.withLock { $0.append(status) } }
    var all: [Int] { statuses.withLock { $0 } }
}

@Suite("per-user cap on requests in flight upstream")
struct UpstreamConcurrencyTests {
    /// Waits (bounded) until `condition` holds.
    func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<1000 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    @Test func oneUserCannotTakeTheWholePool() async throws {
        // The finding's set-up: a pool of 8; the cap is then a quarter of it, 2.
        let g = try await LiveGateway(env: ["UPSTREAM_MAX_CONNECTIONS": "8"])
        #expect(g.t.gateway.options.upstreamMaxPerUser == 2)
        let alice = await g.t.session(try await g.t.user("alice"))
        let bob = await g.t.session(try await g.t.user("bob"))
        // Alice sends eight requests the upstream holds open.
        let statuses = StatusLog()
        let held = (0..<8).map { _ in
            Task {
                let (response, _) = try await g.get("/api/held", ["Session-ID": alice])
                statuses.append(Int(response.status.code))
            }
        }
        // Two reach the upstream; six are refused at once, each a 429 in the envelope.
        #expect(await eventually { g.upstream.held.waiting == 2 && statuses.all.count == 6 })
        #expect(statuses.all == Array(repeating: 429, count: 6))
        let refused = try await g.get("/api/held", ["Session-ID": alice])
        #expect(refused.0.status.code == 429)
        #expect(refused.0.headers["Retry-After"] == "1")
        #expect(refused.1.contains("\"code\":429") && refused.1.contains("at most 2 per user"))
        // Bob is served meanwhile (before the cap he waited for a pooled connection for
        // ever; the client's deadline bounds the test).
        var configuration = HTTPClientConfiguration()
        configuration.timeout = .seconds(10)
        let bobsClient = HTTPClient(configuration: configuration)
        let bobs = try await bobsClient.execute(HTTPClientRequest(method: .GET, url: g.url + "/api/tasks", headers: ["Session-ID": bob]))
        _ = try await bobs.body.collect(upTo: 1 << 20)
        #expect(bobs.status.code == 200)
        await bobsClient.shutdown()
        #expect(g.t.metrics.value("gateway_user_concurrency_refused_total") == 7)
        // Released: alice's two finish and her places are given back.
        g.upstream.held.open()
        for task in held { try await task.value }
        #expect(statuses.all.filter { $0 == 200 }.count == 2)
        let load = g.t.gateway.auth.loads.load(of: 1)
        #expect(await eventually { load.count == 0 })
        #expect(try await g.get("/api/tasks", ["Session-ID": alice]).0.status.code == 200)
        await g.close()
    }

    @Test func streamedAndCollectedResponsesGiveTheirPlaceBack() async throws {
        let g = try await LiveGateway(env: ["UPSTREAM_MAX_PER_USER": "1"])
        let key = try await g.t.user("alice")
        let load = g.t.gateway.auth.loads.load(of: 1)
        // Streamed (300 kB, passed back as it arrives), SSE, a small one, a failing one:
        // one at a time, each allowed under a cap of 1 only if the one before gave its
        // place back.
        for _ in 0..<3 {
            let big = try await g.client.execute(HTTPClientRequest(method: .GET, url: g.url + "/api/big", headers: ["API-Key": key]))
            #expect(big.status.code == 200)
            #expect(try await big.body.collect(upTo: 1 << 20) == EchoUpstream.bigBody)
            #expect(await eventually { load.count == 0 })
        }
        g.upstream.gate.open()
        let (events, text) = try await g.get("/api/v2/aibridge/events", ["API-Key": key])
        #expect(events.status.code == 200 && text == "data: first\n\ndata: second\n\n")
        #expect(await eventually { load.count == 0 })
        let head = try await g.client.execute(HTTPClientRequest(method: .HEAD, url: g.url + "/code/x", headers: ["API-Key": key]))
        _ = try await head.body.collect(upTo: 1 << 20)
        #expect(head.status.code == 200 && load.count == 0)
        await g.close()
    }

    @Test func failedExchangesGiveTheirPlaceBack() async throws {
        let g = try await LiveGateway(env: ["UPSTREAM_MAX_PER_USER": "1"], down: true)
        let key = try await g.t.user("alice")
        for _ in 0..<3 { #expect(try await g.get("/api/tasks", ["API-Key": key]).0.status.code == 502) }
        #expect(g.t.gateway.auth.loads.load(of: 1).count == 0)
        await g.close()
    }

    @Test func clientLeavingMidStreamGivesThePlaceBack() async throws {
        let g = try await LiveGateway(env: ["UPSTREAM_MAX_PER_USER": "1"])
        let key = try await g.t.user("alice")
        let load = g.t.gateway.auth.loads.load(of: 1)
        // The upstream sends its first event and holds the second; the client reads the
        // first and goes away.
        let received = await RawHTTP.exchange(port: Int(g.server.port), """
            GET /api/v2/aibridge/events HTTP/1.1\r\nHost: x\r\nAPI-Key: \(key)\r\n\r\n
            """, closeAfter: "data: first")
        #expect(String(decoding: received, as: UTF8.self).contains("data: first"))
        g.upstream.gate.open()
        #expect(await eventually { load.count == 0 })
        await g.close()
    }

    @Test func waitingPastUpstreamPoolWaitIs503OverTheWire() async throws {
        // One pooled connection, held by alice; bob waits for it 200 ms, then 503.
        let g = try await LiveGateway(env: ["UPSTREAM_MAX_CONNECTIONS": "1", "UPSTREAM_POOL_WAIT_MS": "200"])
        let alice = try await g.t.user("alice"), bob = try await g.t.user("bob")
        let held = Task { try await g.get("/api/held", ["API-Key": alice]) }
        #expect(await eventually { g.upstream.held.waiting == 1 })
        let (response, body) = try await g.get("/api/tasks", ["API-Key": bob])
        #expect(response.status.code == 503)
        #expect(response.headers["Retry-After"] == "1")
        #expect(body.contains("\"code\":503") && body.contains("busy"))
        #expect(g.t.metrics.value("gateway_upstream_errors_total", labels: [("upstream", "task-manager"), ("kind", "saturated")]) == 1)
        g.upstream.held.open()
        #expect(try await held.value.0.status.code == 200)
        #expect(try await g.get("/api/tasks", ["API-Key": bob]).0.status.code == 200)
        await g.close()
    }

    @Test func aFullUpstreamPoolIs503WithRetryAfter() async throws {
        let recording = RecordingTransport()
        recording.failure = .saturated("no pooled connection within 2 s")
        let t = try await TestGateway.make(transport: recording)
        let key = try await t.user("alice")
        let response = await t.app.call(.GET, "/api/tasks", headers: ["API-Key": key])
        #expect(response.status == 503)
        #expect(response.code == 503)
        #expect(response.headers["Retry-After"] == "1")
        #expect(t.metrics.value("gateway_upstream_errors_total", labels: [("upstream", "task-manager"), ("kind", "saturated")]) == 1)
        #expect(t.gateway.auth.loads.load(of: 1).count == 0)
        await t.close()
    }
}
