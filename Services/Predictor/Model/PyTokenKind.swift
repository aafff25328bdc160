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
