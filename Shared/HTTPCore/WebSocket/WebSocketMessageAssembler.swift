/// Joins frames into messages and checks the rules above single frames (RFC 6455 §5.4,
/// §5.5.1, §8.1): a continuation needs a message in progress and a new message needs
/// none (1002); control frames may come between fragments; a message may not exceed
/// `maxMessageBytes` (1009); text must be UTF-8, checked as each fragment arrives so an
/// invalid one fails at once (1007); a close frame's payload is empty or a valid code
/// (1002) with a UTF-8 reason (1007).
public struct WebSocketMessageAssembler: Sendable {
    /// The largest message accepted, all fragments together.
    public let maxMessageBytes: Int
    private var inProgress: WebSocketOpcode?
    private var fragments: [UInt8] = []
    private var validator = UTF8Validator()

    /// An assembler for one direction of one connection.
    public init(maxMessageBytes: Int) {
        self.maxMessageBytes = maxMessageBytes
    }

    /// Whether a fragmented message has begun and not ended.
    public var isMidMessage: Bool { inProgress != nil }

    /// Takes one frame; returns the event it completes, if any.
    public mutating func consume(_ frame: WebSocketFrame) throws(WebSocketProtocolError) -> WebSocketEvent? {
        switch frame.opcode {
        case .ping: return .ping(frame.payload)
        case .pong: return .pong(frame.payload)
        case .close: return try WebSocketMessageAssembler.closeEvent(frame.payload)
        case .text, .binary:
            if inProgress != nil { throw WebSocketProtocolError(.protocolError, "a new message began before the last one ended") }
            if frame.payload.count > maxMessageBytes { throw tooBig(frame.payload.count) }
            if frame.opcode == .text {
                validator = UTF8Validator()
                guard validator.feed(frame.payload) else { throw WebSocketProtocolError(.invalidPayload, "text is not UTF-8") }
            }
            if frame.fin { return try finish(frame.opcode, frame.payload) }
            inProgress = frame.opcode
            fragments = frame.payload
            return nil
        case .continuation:
            guard let opcode = inProgress else { throw WebSocketProtocolError(.protocolError, "continuation frame without a message") }
            if fragments.count + frame.payload.count > maxMessageBytes { throw tooBig(fragments.count + frame.payload.count) }
            if opcode == .text {
                guard validator.feed(frame.payload) else { throw WebSocketProtocolError(.invalidPayload, "text is not UTF-8") }
            }
            fragments.append(contentsOf: frame.payload)
            guard frame.fin else { return nil }
            inProgress = nil
            let whole = fragments
            fragments = []
            return try finish(opcode, whole)
        }
    }

    private mutating func finish(_ opcode: WebSocketOpcode, _ payload: [UInt8]) throws(WebSocketProtocolError) -> WebSocketEvent {
        guard opcode == .text else { return .message(.binary(payload)) }
        guard validator.isComplete else { throw WebSocketProtocolError(.invalidPayload, "text ends inside a UTF-8 sequence") }
        return .message(.text(String(decoding: payload, as: UTF8.self)))
    }

    private func tooBig(_ size: Int) -> WebSocketProtocolError {
        WebSocketProtocolError(.messageTooBig, "message of \(size) bytes exceeds \(maxMessageBytes)")
    }

    /// The event of a close frame's payload.
    static func closeEvent(_ payload: [UInt8]) throws(WebSocketProtocolError) -> WebSocketEvent {
        if payload.isEmpty { return .close(nil, "") }
        guard payload.count >= 2 else { throw WebSocketProtocolError(.protocolError, "close frame with a one-byte payload") }
        let code = WebSocketCloseCode(UInt16(payload[0]) << 8 | UInt16(payload[1]))
        guard code.isValidOnTheWire else { throw WebSocketProtocolError(.protocolError, "invalid close code \(code)") }
        let reason = Array(payload[2...])
        guard UTF8Validator.isValid(reason) else { throw WebSocketProtocolError(.invalidPayload, "close reason is not UTF-8") }
        return .close(code, String(decoding: reason, as: UTF8.self))
    }
}
