/// Keys: bare (`A-Za-z0-9_-`), basic-quoted or literal-quoted, joined by dots with
/// optional spaces around them.
extension TOMLScanner {
    /// Reads a dotted key at the cursor (and the spaces after it).
    mutating func parseKeyPath() throws(TOMLError) -> [KeyPart] {
        var parts: [KeyPart] = []
        while true {
            skipWhitespace()
            let start = position
            parts.append(KeyPart(name: try parseSimpleKey(), offset: start))
            skipWhitespace()
            guard peek() == .dot else { return parts }
            position += 1
        }
    }

    /// Reads one key segment.
    private mutating func parseSimpleKey() throws(TOMLError) -> String {
        guard let byte = peek() else { throw error("expected a key, found the end of the document") }
        switch byte {
        case .quote:
            if looksAt("\"\"\"") { throw error("a multi-line string cannot be a key") }
            return try parseBasicString()
        case .apostrophe:
            if looksAt("'''") { throw error("a multi-line string cannot be a key") }
            return try parseLiteralString()
        case _ where byte.isBareKey:
            let start = position
            while let next = peek(), next.isBareKey { position += 1 }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        default:
            throw error("expected a key, found \(describe(byte))")
        }
    }
}
