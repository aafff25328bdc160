/// A violation of RFC 6455 found while reading: the connection is failed with `code`
/// (sent in a close frame when the connection still allows it) and `reason`.
public struct WebSocketProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The close code this violation calls for (1002, 1007, 1009, ...).
    public let code: WebSocketCloseCode
    /// What was wrong (sent as the close reason; at most 123 bytes).
    public let reason: String

    /// An error with its code and reason.
    public init(_ code: WebSocketCloseCode, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "WebSocket \(code): \(reason)" }
}
