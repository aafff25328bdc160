/// A fast, total tokenizer for Python source.
///
/// It follows CPython's tokenizer closely enough for completion: names, numbers in every
/// base with underscores, floats, exponents and imaginary suffixes, strings with any prefix
/// (raw, bytes, f-strings with nested replacement fields, triple-quoted), comments,
/// multi-character operators, NEWLINE/INDENT/DEDENT, backslash continuation and brackets
/// suppressing NEWLINE. It never traps: malformed input yields `.error` tokens or
/// unterminated strings that run to the end of their line (or of the input if triple-quoted).
public struct PythonTokenizer: Sendable {
    /// Whether comments are reported as tokens.
    public var keepComments: Bool

    /// Creates a tokenizer.
    public init(keepComments: Bool = false) {
        self.keepComments = keepComments
    }

    /// Tokenizes `source`, which must be UTF-8 text.
    public func tokenize(_ source: String) -> [PyToken] {
        tokenize(bytes: Array(source.utf8))
    }

    /// Tokenizes UTF-8 bytes (invalid UTF-8 is tolerated: high bytes are name characters).
    public func tokenize(bytes: [UInt8]) -> [PyToken] {
        bytes.withUnsafeBufferPointer { buf in
            var lexer = PythonLexer(buf: buf, keepComments: keepComments)
            lexer.run()
            return lexer.out
        }
    }
}
