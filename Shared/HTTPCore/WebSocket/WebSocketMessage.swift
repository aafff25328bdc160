/// A complete WebSocket message, its fragments joined.
public enum WebSocketMessage: Sendable, Equatable {
    /// A text message (valid UTF-8, checked on receipt).
    case text(String)
    /// A binary message.
    case binary([UInt8])

    /// The payload's size in bytes.
    public var byteCount: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .binary(let bytes): bytes.count
        }
    }
}
