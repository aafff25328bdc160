import AuthGateway
import Foundation
import HTTPCore
import ServiceKit
import Testing
import TestSupport

/// The gateway's two allowances for task-manager: a browser's session id as the
/// `session_id` query parameter on `/ws` only (taken out of the query before it goes
/// up), and the API documentation (`/api/docs`, `/api/redoc`, `/api/openapi.json`)
/// without credentials. Real sockets, `EchoUpstream` as task-manager.
@Suite("task-manager access through the gateway")
struct TaskManagerAccessTests {
    @Test func webSocketTakesTheSessionFromTheQueryAndDoesNotForwardIt() async throws {
        let g = try await LiveGateway()
        let key = try await g.t.user("ada", roles: ["user"])
        let sid = await g.t.session(key)
        let socket = try await WebSocketClient.connect("ws://127.0.0.1:\(g.server.port)/ws?jobId=j-1&session_id=\(sid)&x=2",
                                                       using: g.client, timeout: .seconds(300))
        var messages = socket.messages.makeAsyncIterator()
        // Authenticated as ada; the upstream's target has every parameter but session_id.
        #expect(await messages.next() == .text("hello ada roles=user target=/ws?jobId=j-1&x=2"))
        try await socket.send(text: "bye")
        #expect(await messages.next() == nil)
        await g.close()
    }

    @Test func webSocketWithABadQuerySessionIsRefused() async throws {
        let g = try await LiveGateway()
        _ = try await g.t.user("ada", roles: ["user"])
        for query in ["?session_id=not-a-session", "?session_id=", "?jobId=1"] {
            await #expect {
                _ = try await WebSocketClient.connect("ws://127.0.0.1:\(g.server.port)/ws\(query)", using: g.client, timeout: .seconds(300))
            } throws: { error in
                guard case WebSocketClientError.refused(let status, _)? = error as? WebSocketClientError else { return false }
                return status.code == (query == "?session_id=not-a-session" ? 403 : 401)
            }
        }
        await g.close()
    }

    @Test func aHeaderCredentialWinsAndTheQueryOneIsStillDropped() async throws {
        let g = try await LiveGateway()
        let ada = await g.t.session(try await g.t.user("ada", roles: ["user"]))
        let bob = await g.t.session(try await g.t.user("bob", roles: ["user"]))
        let socket = try await WebSocketClient.connect("ws://127.0.0.1:\(g.server.port)/ws?session_id=\(bob)",
                                                       headers: ["Session-ID": ada], using: g.client, timeout: .seconds(300))
        var messages = socket.messages.makeAsyncIterator()
        #expect(await messages.next() == .text("hello ada roles=user target=/ws"))
        await socket.close()
        await g.close()
    }

    @Test func theQuerySessionIsNoCredentialElsewhere() async throws {
        let g = try await LiveGateway()
        let sid = await g.t.session(try await g.t.user("ada", roles: ["user"]))
        let (api, _) = try await g.get("/api/tasks?session_id=\(sid)", [:])
        #expect(api.status.code == 401)
        // A plain (not upgrading) GET /ws may use it too: the route, not the upgrade, decides.
        let (plain, body) = try await g.get("/ws/other?session_id=\(sid)&a=1", [:])
        #expect(plain.status.code == 200)
        #expect(body.hasPrefix("GET /ws/other?a=1\n"), "\(body)")
        #expect(!body.contains(sid))
        await g.close()
    }

    @Test func documentationIsPublicAndCarriesNoIdentity() async throws {
        let g = try await LiveGateway()
        for path in ["/api/docs", "/api/redoc", "/api/openapi.json"] {
            let (response, body) = try await g.get(path, ["X-User-Name": "forged", "X-Internal-Token": "forged", "Session-ID": "junk"])
            #expect(response.status.code == 200, "\(path)")
            #expect(body.hasPrefix("GET \(path)\n"), "\(body)")
            for header in ["x-user-name", "x-user-id", "x-user-roles", "x-internal-token", "session-id"] {
                #expect(!body.contains(header + ":"), "\(path) forwarded \(header)")
            }
            #expect(body.contains("x-request-id:"))
        }
        // Only those paths: the rest of /api/ still needs credentials.
        #expect(try await g.get("/api/docs/x", [:]).0.status.code == 401)
        #expect(try await g.get("/api/openapi.jsonx", [:]).0.status.code == 401)
        let post = try await g.client.execute(HTTPClientRequest(method: .POST, url: g.url + "/api/docs"))
        #expect(post.status.code == 401 || post.status.code == 405)
        await g.close()
    }
}
