/// Thrown by a send on a WebSocket whose closing handshake has begun (or whose
/// connection is gone).
public struct WebSocketClosedError: Error, Sendable, Equatable {
    /// The close code known so far (1006 when the connection just ended).
    public let code: WebSocketCloseCode
}
