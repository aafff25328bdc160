/// The kind of a WebSocket frame (RFC 6455 §5.2). Opcodes 3–7 and 11–15 are reserved:
/// a frame carrying one fails the connection with 1002.
public enum WebSocketOpcode: UInt8, Sendable, Equatable {
    /// A later fragment of a text or binary message.
    case continuation = 0x0
    /// The first (or only) frame of a UTF-8 text message.
    case text = 0x1
    /// The first (or only) frame of a binary message.
    case binary = 0x2
    /// The closing handshake: an optional code and reason.
    case close = 0x8
    /// A ping, answered with a pong carrying the same payload.
    case ping = 0x9
    /// A pong (an answer, or an unsolicited heartbeat).
    case pong = 0xA

    /// Close, ping and pong: at most 125 bytes, never fragmented, allowed between the
    /// fragments of a message.
    public var isControl: Bool { rawValue & 0x8 != 0 }
}
