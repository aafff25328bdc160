/// A close status code (RFC 6455 §7.4). Codes sent on the wire must be valid: the
/// defined ones that an endpoint may send, 3000–3999 (registered) or 4000–4999
/// (private). 1005 and 1006 only describe what happened locally; they never travel.
public struct WebSocketCloseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The number.
    public let rawValue: UInt16
    /// A code by number (valid or not: see `isValidOnTheWire`).
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// A code by number.
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public var description: String { String(rawValue) }

    /// 1000: the purpose of the connection has been fulfilled.
    public static let normal = WebSocketCloseCode(1000)
    /// 1001: the endpoint is going away (server shutdown, page navigated away).
    public static let goingAway = WebSocketCloseCode(1001)
    /// 1002: the peer broke the protocol.
    public static let protocolError = WebSocketCloseCode(1002)
    /// 1003: a kind of data the endpoint cannot accept.
    public static let unsupportedData = WebSocketCloseCode(1003)
    /// 1005: the close frame carried no code (never sent).
    public static let noStatusReceived = WebSocketCloseCode(1005)
    /// 1006: the connection ended without a close frame (never sent).
    public static let abnormalClosure = WebSocketCloseCode(1006)
    /// 1007: a text message (or close reason) that is not UTF-8.
    public static let invalidPayload = WebSocketCloseCode(1007)
    /// 1008: a message that violates the endpoint's policy.
    public static let policyViolation = WebSocketCloseCode(1008)
    /// 1009: a message too big to process.
    public static let messageTooBig = WebSocketCloseCode(1009)
    /// 1010: the server did not negotiate an extension the client requires.
    public static let mandatoryExtension = WebSocketCloseCode(1010)
    /// 1011: the server hit an unexpected condition.
    public static let internalError = WebSocketCloseCode(1011)

    /// Whether this code may appear in a close frame.
    public var isValidOnTheWire: Bool {
        switch rawValue {
        case 1000...1003, 1007...1011: true
        case 1012...1014: true  // service restart, try again later, bad gateway (IANA registry)
        case 3000...4999: true
        default: false
        }
    }
}
