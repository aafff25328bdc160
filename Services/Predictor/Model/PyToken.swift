/// The lexical category of a Python token.
public enum PyTokenKind: UInt8, Sendable, Equatable {
    /// An identifier or keyword.
    case name
    /// A numeric literal (integer, float, imaginary, any base).
    case number
    /// A string literal with any prefix, including f-strings (one token each).
    case string
    /// A `#` comment up to the end of its line.
    case comment
    /// An operator or delimiter.
    case op
    /// The end of a logical line.
    case newline
    /// An increase of indentation.
    case indent
    /// A decrease of indentation.
    case dedent
    /// A character that cannot start any token, or an unterminated string.
    case error
    /// The end of the input.
    case endMarker
}

/// One token: its kind and its byte range in the UTF-8 source.
public struct PyToken: Sendable, Equatable {
    /// The token's category.
    public var kind: PyTokenKind
    /// Byte offset of the first byte.
    public var start: Int
    /// Byte offset just past the last byte.
    public var end: Int

    /// Creates a token.
    public init(kind: PyTokenKind, start: Int, end: Int) {
        self.kind = kind
        self.start = start
        self.end = end
    }

    /// The token's text within `source` (the bytes it was produced from).
    public func text(in source: [UInt8]) -> String {
        guard start >= 0, end <= source.count, start <= end else { return "" }
        return String(decoding: source[start..<end], as: UTF8.self)
    }
}

/// Python's reserved words (soft keywords excluded).
public enum PythonKeywords {
    /// The set of hard keywords.
    public static let all: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
        "return", "try", "while", "with", "yield",
    ]
}
