/// Reads TOML 1.0 documents (passes every valid and invalid case of the toml-test suite
/// that applies to 1.0.0).
///
/// The whole document is read in one pass over its bytes, in time linear in its size.
/// Tables and arrays nest at most `maxNestingDepth` levels (the root table is level 1;
/// each header segment, dotted-key segment, array and inline table adds one), so nothing
/// built from a document recurses deeper than that. The first error ends reading.
public enum TOMLParser {
    /// The deepest nesting of tables and arrays a document may have.
    public static let maxNestingDepth = 128

    /// Parses `text` into its root table.
    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        var scanner = TOMLScanner(bytes: Array(text.utf8), maxDepth: maxNestingDepth)
        return try scanner.parseDocument()
    }

    /// Parses the bytes of a document (a file as read), refusing bytes that are not UTF-8
    /// (with the position of the first bad byte). A UTF-8 byte order mark is skipped.
    public static func parse(_ bytes: [UInt8]) throws(TOMLError) -> TOMLTable {
        var scanner = TOMLScanner(bytes: bytes, maxDepth: maxNestingDepth)
        if let bad = UTF8Validation.firstInvalidByte(in: bytes) {
            throw scanner.error("the document is not valid UTF-8 (byte 0x\(TOMLScanner.hex(UInt32(bytes[bad]), width: 2)))", at: bad)
        }
        return try scanner.parseDocument()
    }
}
