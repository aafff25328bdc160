extension HTTPResponse {
    /// The answer to a WebSocket opening handshake: `101 Switching Protocols` with the
    /// accept value (and the chosen subprotocol), after which `handler` runs with the
    /// connection as a `WebSocket` on the connection's loop. When `handler` returns the
    /// connection is closed with 1000 (1011 when it threw), the closing handshake awaited.
    /// Throws the refusal (400, 405, 426) when `request` is not a valid handshake.
    public static func webSocket(upgrading request: HTTPRequest, configuration: WebSocketConfiguration = WebSocketConfiguration(),
                                 handler: @escaping @Sendable (WebSocket) async throws -> Void) throws(WebSocketHandshake.Refusal) -> HTTPResponse {
        let key = try WebSocketHandshake.validate(request)
        let subprotocol = WebSocketHandshake.chooseSubprotocol(request, supported: configuration.subprotocols)
        var response = HTTPResponse(status: HTTPStatus(101), headers: WebSocketHandshake.responseHeaders(key: key, subprotocol: subprotocol))
        response.upgrade = { connection in
            let socket = WebSocket(connection: connection, role: .server, subprotocol: subprotocol, configuration: configuration)
            socket.start()
            do {
                try await handler(socket)
            } catch {
                await socket.close(code: .internalError, reason: "")
                return
            }
            await socket.close(code: .normal)
        }
        return response
    }

    /// The same, answering an invalid handshake with its refusal (plain text) instead of
    /// throwing.
    public static func webSocketOrRefusal(upgrading request: HTTPRequest, configuration: WebSocketConfiguration = WebSocketConfiguration(),
                                          handler: @escaping @Sendable (WebSocket) async throws -> Void) -> HTTPResponse {
        do {
            return try webSocket(upgrading: request, configuration: configuration, handler: handler)
        } catch {
            return WebSocketHandshake.response(for: error)
        }
    }
}
