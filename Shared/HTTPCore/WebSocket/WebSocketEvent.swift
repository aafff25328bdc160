/// What one frame amounted to once fragments are joined: a complete message, or a
/// control frame to act on.
public enum WebSocketEvent: Sendable, Equatable {
    /// A complete text or binary message.
    case message(WebSocketMessage)
    /// A ping (to be answered with a pong of the same payload).
    case ping([UInt8])
    /// A pong.
    case pong([UInt8])
    /// A close frame: its code (nil when it carried none) and reason.
    case close(WebSocketCloseCode?, String)
}
