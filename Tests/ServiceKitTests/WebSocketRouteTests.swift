import Contracts
import Foundation
import HTTPCore
import Testing
import TestSupport
@testable import ServiceKit

/// `Router.webSocket`: a route that accepts upgrades, through the whole application
/// (identity, parameters, envelope) and over a real socket.
@Suite struct WebSocketRouteTests {
    static func app() -> Application {
        let router = Router()
        router.webSocket("/rooms/{room}/live") { request, socket in
            let who = request.identity?.name ?? "anonymous"
            try await socket.send(text: "welcome \(who) to \(request.parameters["room"] ?? "-")")
            for await message in socket.messages {
                if case .text(let text) = message { try await socket.send(text: text.uppercased()) }
            }
        }
        return Application(testing: ServiceDefinition(router: router, envelope: .detail))
    }

    @Test func invalidHandshakeIsRefusedInTheEnvelope() async throws {
        let app = Self.app()
        let identity = Identity(userID: "7", name: "ada", roles: ["user"])
        let plain = await app.call(.GET, "/rooms/a/live", identity: identity)
        #expect(plain.status == 426)
        #expect(plain.headers["Sec-WebSocket-Version"] == "13")
        #expect(plain.text == #"{"detail":"expected Upgrade: websocket"}"#)
        let noKey = await app.call(.GET, "/rooms/a/live", identity: identity,
                                   headers: ["Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13"])
        #expect(noKey.status == 400)
        // The identity check runs first, as for every route.
        #expect(await app.call(.GET, "/rooms/a/live").status == 401)
        #expect(await app.call(.POST, "/rooms/a/live", identity: identity).status == 405)
    }

    @Test func upgradeOverTheWire() async throws {
        let server = HTTPServer(configuration: HTTPServerConfiguration.testing(), responder: Self.app())
        try server.start()
        let client = HTTPClient(configuration: .testing())
        let socket = try await WebSocketClient.connect(
            "ws://127.0.0.1:\(server.port)/rooms/42/live",
            headers: [IdentityHeaders.internalToken: "test-internal-token", IdentityHeaders.userID: "7",
                      IdentityHeaders.userName: "ada", IdentityHeaders.roles: "user"],
            using: client)
        var messages = socket.messages.makeAsyncIterator()
        #expect(await messages.next() == .text("welcome ada to 42"))
        try await socket.send(text: "hello")
        #expect(await messages.next() == .text("HELLO"))
        await socket.close()
        #expect(socket.closeCode == .normal)
        await client.shutdown()
        await server.shutdown(gracePeriod: .seconds(1))
    }
}
