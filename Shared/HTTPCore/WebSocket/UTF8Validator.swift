/// An incremental UTF-8 validator (RFC 3629 §4): bytes are fed in pieces (the fragments
/// of a text message) and a sequence may be split across pieces. Overlong forms,
/// surrogates (U+D800–DFFF) and code points above U+10FFFF are refused. ASCII runs are
/// checked eight bytes at a time.
public struct UTF8Validator: Sendable {
    /// Continuation bytes still expected by the sequence in progress.
    private var needed = 0
    /// The range the next continuation byte must lie in (narrower for the second byte
    /// after E0, ED, F0, F4).
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    /// A validator at the start of a text.
    public init() {}

    /// Whether everything fed so far ends at a character boundary.
    public var isComplete: Bool { needed == 0 }

    /// Feeds bytes; false at the first byte that cannot continue valid UTF-8 (the
    /// validator is then spent).
    public mutating func feed(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// Feeds the bytes of a buffer; false at the first invalid byte.
    public mutating func feed(_ buffer: UnsafeRawBufferPointer) -> Bool {
        guard let base = buffer.baseAddress else { return true }
        let count = buffer.count
        var offset = 0
        while offset < count {
            if needed == 0 {
                // ASCII fast path.
                while count - offset >= 8 && (base + offset).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    offset += 8
                }
                if offset == count { break }
                let byte = (base + offset).load(as: UInt8.self)
                offset += 1
                switch byte {
                case 0x00...0x7F: continue
                case 0xC2...0xDF: needed = 1; lower = 0x80; upper = 0xBF
                case 0xE0: needed = 2; lower = 0xA0; upper = 0xBF
                case 0xE1...0xEC, 0xEE...0xEF: needed = 2; lower = 0x80; upper = 0xBF
                case 0xED: needed = 2; lower = 0x80; upper = 0x9F
                case 0xF0: needed = 3; lower = 0x90; upper = 0xBF
                case 0xF1...0xF3: needed = 3; lower = 0x80; upper = 0xBF
                case 0xF4: needed = 3; lower = 0x80; upper = 0x8F
                default: return false
                }
            } else {
                let byte = (base + offset).load(as: UInt8.self)
                offset += 1
                guard byte >= lower && byte <= upper else { return false }
                needed -= 1
                lower = 0x80
                upper = 0xBF
            }
        }
        return true
    }

    /// Whether `bytes` are complete, valid UTF-8.
    public static func isValid(_ bytes: [UInt8]) -> Bool {
        var validator = UTF8Validator()
        return validator.feed(bytes) && validator.isComplete
    }
}
