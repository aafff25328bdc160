/// One WebSocket frame as parsed or to be written (RFC 6455 §5.2). The payload is held
/// unmasked; whether it travelled masked is recorded in `maskKey`.
public struct WebSocketFrame: Sendable, Equatable {
    /// Whether this is the last frame of its message (always true for control frames).
    public var fin: Bool
    /// The frame's kind.
    public var opcode: WebSocketOpcode
    /// The masking key it carried on the wire (client to server), nil when unmasked.
    public var maskKey: UInt32?
    /// The application data, unmasked.
    public var payload: [UInt8]

    /// A frame.
    public init(fin: Bool = true, opcode: WebSocketOpcode, maskKey: UInt32? = nil, payload: [UInt8] = []) {
        self.fin = fin
        self.opcode = opcode
        self.maskKey = maskKey
        self.payload = payload
    }

    /// The largest payload a control frame may carry.
    public static let maxControlPayload = 125
}
