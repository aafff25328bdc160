import HTTPCore

/// A WebSocket route's handler: the request that opened it (identity, parameters) and
/// the connection. Returning closes the connection with 1000 (1011 when it throws).
public typealias WebSocketHandler = @Sendable (Request, WebSocket) async throws -> Void

extension Router {
    /// Accepts WebSocket upgrades on `GET pattern`: a valid opening handshake is answered
    /// `101` and `handler` runs with the connection (on the connection's event loop); an
    /// invalid one is refused in the service's envelope (400, or 426 with
    /// `Sec-WebSocket-Version: 13`). The route passes through the middleware chain like
    /// any other (identity, metrics, access log see the 101).
    public func webSocket(_ pattern: String, configuration: WebSocketConfiguration = WebSocketConfiguration(),
                          _ handler: @escaping WebSocketHandler) {
        get(pattern) { request in
            do {
                return try HTTPResponse.webSocket(upgrading: request.http, configuration: configuration) { socket in
                    try await handler(request, socket)
                }
            } catch let refusal as WebSocketHandshake.Refusal {
                var error = ServiceError(refusal.status, refusal.reason)
                if refusal.status.code == 426 { error.headers = ["Sec-WebSocket-Version": "13", "Upgrade": "websocket"] }
                throw error
            }
        }
    }
}
