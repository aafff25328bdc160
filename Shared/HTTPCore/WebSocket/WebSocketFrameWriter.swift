/// Serialises frames (RFC 6455 §5.2): the shortest length encoding, and the payload
/// masked when a key is given (every frame a client sends).
public enum WebSocketFrameWriter {
    /// Appends `frame` to `out`, masked with `frame.maskKey` when it has one.
    public static func append(_ frame: WebSocketFrame, to out: inout [UInt8]) {
        append(opcode: frame.opcode, fin: frame.fin, payload: frame.payload, maskKey: frame.maskKey, to: &out)
    }

    /// Appends one frame of `payload` to `out`.
    public static func append(opcode: WebSocketOpcode, fin: Bool = true, payload: some Collection<UInt8>,
                              maskKey: UInt32? = nil, to out: inout [UInt8]) {
        let length = payload.count
        out.reserveCapacity(out.count + length + 14)
        out.append((fin ? 0x80 : 0) | opcode.rawValue)
        let maskBit: UInt8 = maskKey == nil ? 0 : 0x80
        if length < 126 {
            out.append(maskBit | UInt8(length))
        } else if length <= 0xFFFF {
            out.append(maskBit | 126)
            out.append(UInt8(truncatingIfNeeded: length >> 8))
            out.append(UInt8(truncatingIfNeeded: length))
        } else {
            out.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: UInt64(length) >> UInt64(shift))) }
        }
        if let maskKey {
            for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: maskKey >> UInt32(shift))) }
        }
        let payloadStart = out.count
        out.append(contentsOf: payload)
        if let maskKey { WebSocketMasking.apply(key: maskKey, to: &out, in: payloadStart..<out.count) }
    }

    /// One frame as bytes.
    public static func encode(_ frame: WebSocketFrame) -> [UInt8] {
        var out: [UInt8] = []
        append(frame, to: &out)
        return out
    }

    /// The payload of a close frame: the code (big-endian) and the reason, cut to fit in
    /// 125 bytes at a character boundary. No code: an empty payload.
    public static func closePayload(code: WebSocketCloseCode?, reason: String) -> [UInt8] {
        guard let code else { return [] }
        var out: [UInt8] = [UInt8(truncatingIfNeeded: code.rawValue >> 8), UInt8(truncatingIfNeeded: code.rawValue)]
        var room = WebSocketFrame.maxControlPayload - 2
        for scalar in reason.unicodeScalars {
            let encoded = Array(String(scalar).utf8)
            if encoded.count > room { break }
            out.append(contentsOf: encoded)
            room -= encoded.count
        }
        return out
    }
}
