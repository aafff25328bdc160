/// The four kinds of string: basic `"…"` (with escapes), literal `'…'`, and their
/// multi-line forms `"""…"""` and `'''…'''`.
extension TOMLScanner {
    /// Reads a one-line basic string at its opening quote.
    mutating func parseBasicString() throws(TOMLError) -> String {
        let start = position
        position += 1
        var text: [UInt8] = []
        while let byte = peek() {
            switch byte {
            case .quote:
                position += 1
                return String(decoding: text, as: UTF8.self)
            case .backslash:
                try parseEscape(into: &text)
            case .lineFeed, .carriageReturn:
                throw error("a one-line string cannot contain a newline (string opened \(openedAt(start)))")
            case _ where byte.isControl:
                throw error("\(describe(byte)) must be escaped in a string")
            default:
                text.append(byte)
                position += 1
            }
        }
        throw error("unterminated string (opened \(openedAt(start)))")
    }

    /// Reads a one-line literal string at its opening apostrophe.
    mutating func parseLiteralString() throws(TOMLError) -> String {
        let start = position
        position += 1
        let contentStart = position
        while let byte = peek() {
            switch byte {
            case .apostrophe:
                position += 1
                return String(decoding: bytes[contentStart..<(position - 1)], as: UTF8.self)
            case .lineFeed, .carriageReturn:
                throw error("a one-line string cannot contain a newline (string opened \(openedAt(start)))")
            case _ where byte.isControl:
                throw error("\(describe(byte)) is not allowed in a literal string")
            default:
                position += 1
            }
        }
        throw error("unterminated string (opened \(openedAt(start)))")
    }

    /// Reads a multi-line basic string at its `"""`.
    mutating func parseMultilineBasicString() throws(TOMLError) -> String {
        try parseMultiline(delimiter: .quote, escapes: true)
    }

    /// Reads a multi-line literal string at its `'''`.
    mutating func parseMultilineLiteralString() throws(TOMLError) -> String {
        try parseMultiline(delimiter: .apostrophe, escapes: false)
    }

    /// Reads a multi-line string: a newline right after the opening delimiter is dropped;
    /// one or two delimiter characters may stand inside, and directly before the closing
    /// three; newlines are kept as written (LF or CRLF).
    private mutating func parseMultiline(delimiter: UInt8, escapes: Bool) throws(TOMLError) -> String {
        let start = position
        position += 3
        if peek() == .lineFeed || peek() == .carriageReturn { try skipNewline() }
        var text: [UInt8] = []
        while let byte = peek() {
            switch byte {
            case delimiter:
                var run = 0
                while peek(run) == delimiter { run += 1 }
                if run < 3 {
                    text.append(contentsOf: repeatElement(delimiter, count: run))
                    position += run
                } else if run <= 5 {
                    text.append(contentsOf: repeatElement(delimiter, count: run - 3))
                    position += run
                    return String(decoding: text, as: UTF8.self)
                } else {
                    throw error("more than two quote characters before the end of a multi-line string", at: position + 5)
                }
            case .backslash where escapes:
                try parseEscape(into: &text, multiline: true)
            case .lineFeed:
                text.append(byte)
                position += 1
            case .carriageReturn:
                try skipNewline()
                text.append(contentsOf: [.carriageReturn, .lineFeed])
            case _ where byte.isControl:
                throw error("\(describe(byte)) \(escapes ? "must be escaped" : "is not allowed") in a string")
            default:
                text.append(byte)
                position += 1
            }
        }
        throw error("unterminated multi-line string (opened \(openedAt(start)))")
    }

    /// Reads an escape at its backslash into `text`: `\b \t \n \f \r \" \\ \uXXXX
    /// \UXXXXXXXX`, and in a multi-line string a backslash ending its line, which drops
    /// the newline and the blanks after it.
    private mutating func parseEscape(into text: inout [UInt8], multiline: Bool = false) throws(TOMLError) {
        let start = position
        position += 1
        guard let byte = peek() else { throw error("unterminated string") }
        switch byte {
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "t"): text.append(.tab)
        case UInt8(ascii: "n"): text.append(.lineFeed)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "r"): text.append(.carriageReturn)
        case .quote: text.append(.quote)
        case .backslash: text.append(.backslash)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let digits = byte == UInt8(ascii: "u") ? 4 : 8
            var value: UInt32 = 0
            for offset in 1...digits {
                guard let digit = peek(offset).flatMap(Self.hexValue) else {
                    throw error("\\\(Character(Unicode.Scalar(byte))) needs \(digits) hexadecimal digits", at: start)
                }
                value = value << 4 | UInt32(digit)
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw error("\\\(Character(Unicode.Scalar(byte)))\(Self.hex(value, width: digits)) is not a Unicode scalar value", at: start)
            }
            text.append(contentsOf: String(scalar).utf8)
            position += digits
        case .space, .tab, .lineFeed, .carriageReturn:
            guard multiline else {
                throw error("invalid escape: a backslash followed by \(describe(byte).trimmingQuotes)", at: start)
            }
            var ahead = 0
            while peek(ahead) == .space || peek(ahead) == .tab { ahead += 1 }
            guard peek(ahead) == .lineFeed || peek(ahead) == .carriageReturn else {
                throw error("a backslash may only be followed by spaces when it ends the line", at: start)
            }
            position += ahead
            while let next = peek() {
                if next == .space || next == .tab || next == .lineFeed {
                    position += 1
                } else if next == .carriageReturn {
                    try skipNewline()
                } else {
                    break
                }
            }
            return
        default:
            throw error("invalid escape \\\(describe(byte).trimmingQuotes) (TOML 1.0 knows \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)", at: start)
        }
        position += 1
    }

    /// The value of a hexadecimal digit.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}

extension String {
    /// `x` for `'x'` (a described character inside a message).
    fileprivate var trimmingQuotes: String {
        hasPrefix("'") && hasSuffix("'") && count >= 3 ? String(dropFirst().dropLast()) : self
    }
}
