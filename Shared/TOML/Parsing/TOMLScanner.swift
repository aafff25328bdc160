/// Reads one TOML document from its bytes (already known to be UTF-8): the cursor, the
/// blanks between tokens and the errors. The other parts live in `TOMLScanner+*.swift`:
/// the document's lines, keys, values, strings, numbers and date-times.
struct TOMLScanner {
    /// A key segment and where it starts (for messages).
    struct KeyPart {
        /// The key as a string (quotes and escapes resolved).
        var name: String
        /// The byte offset of its first character.
        var offset: Int
    }

    /// The document.
    let bytes: [UInt8]
    /// The next byte to read.
    var position: Int
    /// The deepest nesting of tables and arrays allowed (the root is level 1).
    let maxDepth: Int
    /// Where the content starts (3 after a UTF-8 byte order mark, else 0).
    private let contentStart: Int

    /// A scanner at the start of `bytes`, past a byte order mark.
    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        contentStart = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        position = contentStart
        self.maxDepth = maxDepth
    }

    /// The byte `ahead` places after the cursor, nil past the end.
    @inline(__always)
    func peek(_ ahead: Int = 0) -> UInt8? {
        let index = position + ahead
        return index < bytes.count ? bytes[index] : nil
    }

    /// True when the bytes at the cursor are `word`.
    func looksAt(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        return word.withUTF8Buffer { word in
            for index in 0..<count where bytes[position + index] != word[index] { return false }
            return true
        }
    }

    /// Skips spaces and tabs.
    mutating func skipWhitespace() {
        while let byte = peek(), byte == .space || byte == .tab { position += 1 }
    }

    /// Skips spaces, tabs, newlines and comments (between the elements of an array).
    mutating func skipBlankLines() throws(TOMLError) {
        while let byte = peek() {
            switch byte {
            case .space, .tab, .lineFeed: position += 1
            case .carriageReturn: try skipNewline()
            case .hash: try skipComment()
            default: return
            }
        }
    }

    /// Skips a newline at the cursor (LF or CRLF); a lone CR is an error.
    mutating func skipNewline() throws(TOMLError) {
        if peek() == .lineFeed {
            position += 1
        } else if peek() == .carriageReturn, peek(1) == .lineFeed {
            position += 2
        } else {
            throw error("a carriage return must be followed by a line feed")
        }
    }

    /// Skips a comment from its `#` to the end of its line (the newline stays); control
    /// characters other than tab are refused.
    mutating func skipComment() throws(TOMLError) {
        position += 1
        while let byte = peek() {
            if byte == .lineFeed { return }
            if byte == .carriageReturn {
                if peek(1) == .lineFeed { return }
                throw error("a carriage return must be followed by a line feed")
            }
            if byte.isControl { throw error("\(describe(byte)) is not allowed in a comment") }
            position += 1
        }
    }

    /// Requires the end of a line: spaces, an optional comment, then a newline or the end.
    mutating func finishLine(after what: String) throws(TOMLError) {
        skipWhitespace()
        if peek() == .hash { try skipComment() }
        guard let byte = peek() else { return }
        if byte == .lineFeed || byte == .carriageReturn {
            try skipNewline()
            return
        }
        throw error("expected a newline after \(what), found \(describe(byte))")
    }

    /// Fails unless a table or array at `level` is within the depth limit.
    func checkDepth(_ level: Int, at offset: Int) throws(TOMLError) {
        if level > maxDepth {
            throw error("tables and arrays nested deeper than \(maxDepth) levels", at: offset)
        }
    }

    /// An error at `offset` (the cursor unless given), with its line and column.
    func error(_ message: String, at offset: Int? = nil) -> TOMLError {
        let end = min(offset ?? position, bytes.count)
        var line = 1
        var lineStart = contentStart
        var index = contentStart
        while index < end {
            if bytes[index] == .lineFeed {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        var column = 1
        for index in lineStart..<max(lineStart, end) where bytes[index] & 0xC0 != 0x80 { column += 1 }
        return TOMLError(line: line, column: column, message: message)
    }

    /// The character at the cursor for a message: `'x'`, `a newline`, `U+0007`, `'é'`.
    func describe(_ byte: UInt8) -> String {
        switch byte {
        case .lineFeed, .carriageReturn: return "the end of the line"
        case 0x20...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        case 0x00..<0x20, 0x7F: return "control character U+\(Self.hex(UInt32(byte), width: 4))"
        default:
            var iterator = bytes[position...].makeIterator()
            var decoder = UTF8()
            if case .scalarValue(let scalar) = decoder.decode(&iterator) { return "'\(Character(scalar))'" }
            return "byte 0x\(Self.hex(UInt32(byte), width: 2))"
        }
    }

    /// The character at the cursor for a message, or `the end of the document`.
    func describeNext() -> String {
        guard let byte = peek() else { return "the end of the document" }
        return describe(byte)
    }

    /// `value` in upper-case hexadecimal, zero-padded to `width`.
    static func hex(_ value: UInt32, width: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// A key path as a message shows it: `a.b`, `"x y".c`.
    static func display(_ path: some Collection<KeyPart>) -> String {
        path.map { TOMLWriter.key($0.name) }.joined(separator: ".")
    }
}
