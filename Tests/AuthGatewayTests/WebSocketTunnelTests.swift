import AuthGateway
import Foundation
import HTTPCore
import ServiceKit
import Testing
import TestSupport

/// `/ws` through the gateway on real sockets, to an upstream that is our own WebSocket
/// echo server (`EchoUpstream`), with our WebSocket client.
@Suite("WebSocket tunnel")
struct WebSocketTunnelTests {
    func connect(_ g: LiveGateway, _ path: String = "/ws", _ headers: HTTPHeaders) async throws -> WebSocket {
        // A handshake timeout far beyond any stall of a loaded machine (a hang guard).
        try await WebSocketClient.connect("ws://127.0.0.1:\(g.server.port)\(path)", headers: headers, using: g.client, timeout: .seconds(300))
    }

    /// Waits (bounded) until the gateway counts `expected` open tunnels for the user.
    func waitForOpenTunnels(_ g: LiveGateway, userID: Int64, _ expected: Int) async -> Int {
        _ = await eventually(polling: .milliseconds(10)) { g.t.gateway.tunnels.openCount(userID: userID) == expected }
        return g.t.gateway.tunnels.openCount(userID: userID)
    }

    @Test func upgradeIsTunnelledWithIdentityBothWays() async throws {
        let g = try await LiveGateway()
        let key = try await g.t.user("alice", roles: ["user"])
        let sid = await g.t.session(key)
        let socket = try await connect(g, "/ws?job=7", ["Session-ID": sid, "X-User-Roles": "admin"])
        var messages = socket.messages.makeAsyncIterator()
        // The upstream saw the gateway's identity, not the client's forged roles, and the query.
        #expect(await messages.next() == .text("hello alice roles=user target=/ws?job=7"))
        try await socket.send(text: "ping-1")
        #expect(await messages.next() == .text("echo:ping-1"))
        let big = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try await socket.send(binary: big)
        #expect(await messages.next() == .binary(big))
        try await socket.send(text: "bye")
        // The upstream handler returned and closed with 1000: the close reaches the client
        // through the tunnel, and the tunnel ends on both sides.
        #expect(await messages.next() == nil)
        #expect(socket.closeCode == .normal)
        #expect(await waitForOpenTunnels(g, userID: 1, 0) == 0)
        await g.close()
    }

    @Test func upgradeWithoutCredentialsIsRefused() async throws {
        let g = try await LiveGateway()
        await #expect {
            _ = try await connect(g, "/ws", [:])
        } throws: { error in
            guard case WebSocketClientError.refused(let status, let body)? = error as? WebSocketClientError else { return false }
            return status.code == 401 && String(decoding: body, as: UTF8.self).contains("\"code\":401")
        }
        await g.close()
    }

    @Test func perUserCapAnswers429AndFreesOnClose() async throws {
        let g = try await LiveGateway(env: ["WS_MAX_TUNNELS_PER_USER": "2"])
        let alice = try await g.t.user("alice")
        let bob = try await g.t.user("bob")
        let first = try await connect(g, "/ws", ["API-Key": alice])
        let second = try await connect(g, "/ws", ["API-Key": alice])
        await #expect {
            _ = try await connect(g, "/ws", ["API-Key": alice])
        } throws: { error in
            guard case WebSocketClientError.refused(let status, let body)? = error as? WebSocketClientError else { return false }
            let text = String(decoding: body, as: UTF8.self)
            return status.code == 429 && text.contains("\"code\":429") && text.contains("\"description\":")
        }
        // Another user has places of their own.
        let other = try await connect(g, "/ws", ["API-Key": bob])
        let metrics = g.t.metrics.render()
        #expect(metrics.contains("gateway_tunnels_refused_total 1"))
        #expect(metrics.contains("gateway_tunnels_open 3"))
        // Closing one frees its place.
        await first.close()
        #expect(first.closeCode == .normal)
        #expect(await waitForOpenTunnels(g, userID: 1, 1) == 1)
        let again = try await connect(g, "/ws", ["API-Key": alice])
        var messages = again.messages.makeAsyncIterator()
        #expect(await messages.next() == .text("hello alice roles=user target=/ws"))
        await again.close()
        await second.close()
        await other.close()
        #expect(await waitForOpenTunnels(g, userID: 1, 0) == 0)
        await g.close()
    }

    @Test func upgradeOnAnotherRouteIsAnOrdinaryRequest() async throws {
        let g = try await LiveGateway()
        let key = try await g.t.user("alice")
        // /api/ is proxied but does not tunnel: the upstream gets a plain GET (the upgrade
        // fields are hop-by-hop) and its 200 comes back whole.
        await #expect {
            _ = try await connect(g, "/api/chat", ["API-Key": key])
        } throws: { error in
            guard case WebSocketClientError.refused(let status, let body)? = error as? WebSocketClientError else { return false }
            let text = String(decoding: body, as: UTF8.self)
            return status.code == 200 && text.hasPrefix("GET /api/chat\n") && !text.contains("upgrade:")
                && text.contains("sec-websocket-version: 13")
        }
        #expect(g.t.gateway.tunnels.openCount == 0)
        await g.close()
    }

    @Test func upstreamRefusalIsRelayedWhole() async throws {
        let g = try await LiveGateway()
        let key = try await g.t.user("alice")
        await #expect {
            _ = try await connect(g, "/ws/refused", ["API-Key": key])
        } throws: { error in
            guard case WebSocketClientError.refused(let status, let body)? = error as? WebSocketClientError else { return false }
            return status.code == 403 && String(decoding: body, as: UTF8.self) == "upstream says no"
        }
        #expect(await waitForOpenTunnels(g, userID: 1, 0) == 0)
        await g.close()
    }

    @Test func clientLeavingClosesTheUpstreamSide() async throws {
        let g = try await LiveGateway()
        let key = try await g.t.user("alice")
        let socket = try await connect(g, "/ws", ["API-Key": key])
        var messages = socket.messages.makeAsyncIterator()
        #expect(await messages.next() != nil)
        #expect(await waitForOpenTunnels(g, userID: 1, 1) == 1)
        await socket.close(code: WebSocketCloseCode(4000), reason: "done")
        // The upstream echoed the close code through the tunnel; both sides are gone.
        #expect(socket.closeCode == WebSocketCloseCode(4000))
        #expect(await waitForOpenTunnels(g, userID: 1, 0) == 0)
        await g.close()
    }

    @Test func idleTunnelIsClosed() async throws {
        // Long enough that the upstream's greeting always comes first on a loaded machine.
        let g = try await LiveGateway(env: ["WS_IDLE_TIMEOUT_S": "3"])
        let key = try await g.t.user("alice")
        let socket = try await connect(g, "/ws", ["API-Key": key])
        var messages = socket.messages.makeAsyncIterator()
        #expect(await messages.next() != nil)
        // Nothing moves: the gateway cuts both sides (no close frame: 1006 for the client).
        #expect(await messages.next() == nil)
        #expect(socket.closeCode == .abnormalClosure)
        #expect(await waitForOpenTunnels(g, userID: 1, 0) == 0)
        await g.close()
    }

    /// Issue 10, finding 7: curl's `Connection: Upgrade` + `Upgrade: websocket` on a route
    /// that does not tunnel switched the connection to a tunnel. Now it is an ordinary
    /// request: the whole (streamed) body comes back, and the connection goes on as HTTP.
    @Test func curlStyleUpgradeOnAnotherRouteGetsTheWholeBody() async throws {
        let g = try await LiveGateway()
        let sid = await g.t.session(try await g.t.user("alice"))
        let received = await RawHTTP.exchange(port: Int(g.server.port), """
            GET /orchestrator/big HTTP/1.1\r\nHost: 127.0.0.1\r\nSession-ID: \(sid)\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\
            GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n
            """)
        let responses = RawHTTP.responses(received)
        #expect(responses.count == 2)
        #expect(responses.first?.status == 200)
        #expect(responses.first?.headers["upgrade"] == nil)
        #expect(responses.first?.body.count == EchoUpstream.bigBody.count)
        #expect(responses.first?.body == EchoUpstream.bigBody)
        #expect(responses.last.map { String(decoding: $0.body, as: UTF8.self) } == "pong")
        #expect(g.t.gateway.tunnels.openCount == 0)
        await g.close()
    }

    /// The threads of this process now.
    func threadCount() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0 }

    /// Issue 10, finding 7: a tunnel runs on the event loops (two relay tasks), not on a
    /// thread of its own; forty open tunnels add no thread per tunnel.
    @Test func tunnelsMakeNoThreadOfTheirOwn() async throws {
        let g = try await LiveGateway(env: ["WS_MAX_TUNNELS_PER_USER": "64"])
        let key = try await g.t.user("alice")
        func open() async throws -> WebSocket {
            let socket = try await connect(g, "/ws", ["API-Key": key])
            var messages = socket.messages.makeAsyncIterator()
            #expect(await messages.next() == .text("hello alice roles=user target=/ws"))
            return socket
        }
        // One first: whatever is made once (loops, pools) exists before counting.
        var sockets = [try await open()]
        let before = threadCount()
        for _ in 0..<40 { sockets.append(try await open()) }
        #expect(await waitForOpenTunnels(g, userID: 1, 41) == 41)
        let added = threadCount() - before
        #expect(added < 20, "\(added) threads for 40 tunnels")
        for socket in sockets { await socket.close() }
        #expect(await waitForOpenTunnels(g, userID: 1, 0) == 0)
        await g.close()
    }
}
