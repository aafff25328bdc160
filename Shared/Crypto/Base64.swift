/// Base64 (RFC 4648) in its two forms: `Base64.url` (§5: `-` and `_`, no padding; API keys,
/// session ids, anything in a URL or header) and `Base64.standard` (§4: `+` and `/`, padded
/// with `=`; HTTP Basic credentials).
///
/// Decoding is strict: only the canonical encoding of some bytes is accepted (no
/// whitespace, no padding where it does not belong, zero bits after the last byte).
public struct Base64: Sendable {
    /// RFC 4648 §5: `-` and `_` for 62 and 63, no padding.
    public static let url = Base64(lastTwo: "-_", padded: false)
    /// RFC 4648 §4: `+` and `/` for 62 and 63, padded with `=` to whole groups of four.
    public static let standard = Base64(lastTwo: "+/", padded: true)

    /// The 64 digits in value order.
    private let alphabet: [UInt8]
    /// The value of each byte as a digit, `invalid` for bytes outside the alphabet.
    private let values: [UInt8]
    /// Whether encodings are padded with `=` to a multiple of four characters.
    public let padded: Bool

    private static let invalid: UInt8 = 0xff
    private static let pad = UInt8(ascii: "=")

    private init(lastTwo: String, padded: Bool) {
        alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8) + Array(lastTwo.utf8)
        var values = [UInt8](repeating: Base64.invalid, count: 256)
        for (value, digit) in alphabet.enumerated() { values[Int(digit)] = UInt8(value) }
        self.values = values
        self.padded = padded
    }

    // MARK: Encoding

    /// The encoding of the bytes of a buffer.
    public func encode(_ buffer: UnsafeRawBufferPointer) -> String {
        let whole = buffer.count / 3, rest = buffer.count % 3
        let length = whole * 4 + (rest == 0 ? 0 : (padded ? 4 : rest + 1))
        return alphabet.withUnsafeBufferPointer { digits in
            String(unsafeUninitializedCapacity: length) { out in
                var read = 0, written = 0
                func emit(_ group: UInt32, count: Int) {
                    for position in 0..<count {
                        out[written] = digits[Int((group >> UInt32(18 - 6 * position)) & 63)]
                        written += 1
                    }
                }
                while read + 3 <= buffer.count {
                    emit(UInt32(buffer[read]) << 16 | UInt32(buffer[read + 1]) << 8 | UInt32(buffer[read + 2]), count: 4)
                    read += 3
                }
                if rest > 0 {
                    let second = rest == 2 ? UInt32(buffer[read + 1]) << 8 : 0
                    emit(UInt32(buffer[read]) << 16 | second, count: rest + 1)
                    if padded {
                        for _ in rest..<3 { out[written] = Base64.pad; written += 1 }
                    }
                }
                return written
            }
        }
    }

    /// The encoding of bytes.
    public func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        if let text = bytes.withContiguousStorageIfAvailable({ encode(UnsafeRawBufferPointer($0)) }) { return text }
        return Array(bytes).withUnsafeBytes { encode($0) }
    }

    /// The encoding of a string's UTF-8.
    public func encode(_ text: String) -> String {
        var text = text
        return text.withUTF8 { encode(UnsafeRawBufferPointer($0)) }
    }

    // MARK: Decoding

    /// The bytes that `text` encodes.
    /// - Throws: `TextDecodingError.invalidLength` when no encoding has this length,
    ///   `.invalidCharacter` for a byte outside the alphabet or misplaced padding,
    ///   `.nonCanonical` when the bits after the last byte are not zero.
    public func decode(_ text: String) throws(TextDecodingError) -> [UInt8] {
        var text = text
        // `withUTF8` rethrows untyped errors: the typed one travels out in a `Result`.
        return try text.withUTF8 { utf8 in Result<[UInt8], TextDecodingError> { () throws(TextDecodingError) in try decode(utf8) } }.get()
    }

    /// The bytes that the UTF-8 in `utf8` encodes (see `decode(_:)` over a string).
    public func decode(_ utf8: UnsafeBufferPointer<UInt8>) throws(TextDecodingError) -> [UInt8] {
        var digitCount = utf8.count
        if padded {
            guard utf8.count % 4 == 0 else { throw .invalidLength(utf8.count) }
            var pads = 0
            while pads < 2, digitCount > 0, utf8[digitCount - 1] == Base64.pad { digitCount -= 1; pads += 1 }
        }
        let rest = digitCount % 4
        guard rest != 1 else { throw .invalidLength(utf8.count) }
        var out = [UInt8]()
        out.reserveCapacity(digitCount / 4 * 3 + 2)
        var offset = 0
        var group: UInt32 = 0
        while offset < digitCount {
            let value = values[Int(utf8[offset])]
            guard value != Base64.invalid else { throw .invalidCharacter(offset: offset) }
            group = group << 6 | UInt32(value)
            offset += 1
            if offset % 4 == 0 {
                out.append(UInt8(truncatingIfNeeded: group >> 16))
                out.append(UInt8(truncatingIfNeeded: group >> 8))
                out.append(UInt8(truncatingIfNeeded: group))
                group = 0
            }
        }
        switch rest {
        case 2:
            guard group & 0x0f == 0 else { throw .nonCanonical }
            out.append(UInt8(truncatingIfNeeded: group >> 4))
        case 3:
            guard group & 0x03 == 0 else { throw .nonCanonical }
            out.append(UInt8(truncatingIfNeeded: group >> 10))
            out.append(UInt8(truncatingIfNeeded: group >> 2))
        default:
            break
        }
        return out
    }
}
