/// An incremental WebSocket frame parser (RFC 6455 §5.2): bytes are appended as they
/// arrive, split anywhere; `nextFrame()` returns each complete frame, unmasked, and
/// throws at the first violation of the framing rules:
/// reserved bits set (no extension is negotiated), a reserved opcode, a control frame
/// that is fragmented or longer than 125 bytes, a 64-bit length with its top bit set,
/// a frame masked the wrong way for the role (1002); a payload longer than the limit
/// (1009, known from the header before any of the payload is read). After a 1009 the
/// parser stays in step: that frame's payload is skipped as it arrives, so frames after
/// it (the peer's close frame) can still be read.
public struct WebSocketFrameParser: Sendable {
    /// Whether frames must be masked (a server reading a client) or must not be (a
    /// client reading a server).
    public let expectsMasked: Bool
    /// The longest payload one frame may declare.
    public let maxPayload: Int
    private var buffer = ByteBuffer()
    /// Payload bytes of a refused (too big) frame still to be dropped.
    private var skipRemaining = 0

    /// A parser for one direction of one connection.
    public init(expectsMasked: Bool, maxPayload: Int) {
        self.expectsMasked = expectsMasked
        self.maxPayload = maxPayload
    }

    /// Bytes received and not yet returned as frames.
    public var bufferedCount: Int { buffer.readable }

    /// Appends received bytes.
    public mutating func append(_ bytes: [UInt8]) {
        if bytes.isEmpty { return }
        buffer.append(bytes)
    }

    /// The next complete frame, or nil until more bytes arrive.
    public mutating func nextFrame() throws(WebSocketProtocolError) -> WebSocketFrame? {
        if skipRemaining > 0 {
            let dropped = min(skipRemaining, buffer.readable)
            buffer.skip(dropped)
            skipRemaining -= dropped
            if skipRemaining > 0 { return nil }
        }
        let available = buffer.readable
        guard available >= 2 else { return nil }
        let start = buffer.readIndex
        let first = buffer.bytes[start], second = buffer.bytes[start + 1]
        if first & 0x70 != 0 { throw WebSocketProtocolError(.protocolError, "reserved bits set without an extension") }
        guard let opcode = WebSocketOpcode(rawValue: first & 0x0F) else {
            throw WebSocketProtocolError(.protocolError, "reserved opcode \(first & 0x0F)")
        }
        let fin = first & 0x80 != 0
        let masked = second & 0x80 != 0
        if masked != expectsMasked {
            throw WebSocketProtocolError(.protocolError, expectsMasked ? "client frames must be masked" : "server frames must not be masked")
        }
        let shortLength = Int(second & 0x7F)
        if opcode.isControl {
            if !fin { throw WebSocketProtocolError(.protocolError, "fragmented control frame") }
            if shortLength > WebSocketFrame.maxControlPayload {
                throw WebSocketProtocolError(.protocolError, "control frame longer than 125 bytes")
            }
        }
        var headerLength = 2
        var length = shortLength
        if shortLength == 126 {
            headerLength = 4
            guard available >= headerLength else { return nil }
            length = Int(buffer.bytes[start + 2]) << 8 | Int(buffer.bytes[start + 3])
        } else if shortLength == 127 {
            headerLength = 10
            guard available >= headerLength else { return nil }
            var wide: UInt64 = 0
            for index in 2..<10 { wide = wide << 8 | UInt64(buffer.bytes[start + index]) }
            if wide >> 63 != 0 { throw WebSocketProtocolError(.protocolError, "64-bit length with the top bit set") }
            length = wide > UInt64(Int.max / 2) ? Int.max / 2 : Int(wide)
        }
        var maskKey: UInt32? = nil
        if masked {
            guard available >= headerLength + 4 else { return nil }
            var key: UInt32 = 0
            for index in 0..<4 { key = key << 8 | UInt32(buffer.bytes[start + headerLength + index]) }
            maskKey = key
            headerLength += 4
        }
        if length > maxPayload {
            buffer.skip(headerLength)
            skipRemaining = length
            let dropped = min(skipRemaining, buffer.readable)
            buffer.skip(dropped)
            skipRemaining -= dropped
            throw WebSocketProtocolError(.messageTooBig, "frame of \(length) bytes exceeds \(maxPayload)")
        }
        guard available >= headerLength + length else { return nil }
        buffer.skip(headerLength)
        var payload = length == 0 ? [] : buffer.take(length)
        if let maskKey { WebSocketMasking.apply(key: maskKey, to: &payload, in: 0..<payload.count) }
        return WebSocketFrame(fin: fin, opcode: opcode, maskKey: maskKey, payload: payload)
    }
}
