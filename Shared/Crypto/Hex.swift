/// Hexadecimal text: bytes as lowercase digit pairs, and back (either case accepted).
public enum Hex {
    /// Lowercase hex of the bytes of a buffer (two digits a byte).
    public static func encode(_ buffer: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: buffer.count * 2) { out in
            for (index, byte) in buffer.enumerated() {
                out[2 * index] = digit(byte >> 4)
                out[2 * index + 1] = digit(byte & 0x0f)
            }
            return buffer.count * 2
        }
    }

    /// Lowercase hex of bytes (two digits a byte).
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        if let text = bytes.withContiguousStorageIfAvailable({ encode(UnsafeRawBufferPointer($0)) }) { return text }
        return Array(bytes).withUnsafeBytes { encode($0) }
    }

    /// The bytes that hex text stands for; digits may be upper- or lowercase.
    /// - Throws: `TextDecodingError.invalidLength` for an odd number of digits,
    ///   `.invalidCharacter` for anything but a hex digit.
    public static func decode(_ text: String) throws(TextDecodingError) -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { throw .invalidLength(utf8.count) }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var offset = 0
        while offset < utf8.count {
            guard let high = value(ofDigit: utf8[offset]) else { throw .invalidCharacter(offset: offset) }
            guard let low = value(ofDigit: utf8[offset + 1]) else { throw .invalidCharacter(offset: offset + 1) }
            out.append(high << 4 | low)
            offset += 2
        }
        return out
    }

    /// The value (0–15) of an ASCII hex digit of either case, nil for any other byte.
    @inlinable
    public static func value(ofDigit byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte &- UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte &- UInt8(ascii: "A") &+ 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte &- UInt8(ascii: "a") &+ 10
        default: nil
        }
    }

    /// The lowercase ASCII hex digit of `value`'s low four bits.
    @inlinable
    public static func digit(_ value: UInt8) -> UInt8 {
        let nibble = value & 0x0f
        return nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ nibble &- 10
    }
}
