/// Maps tokens to the symbols the n-gram models are trained on.
///
/// Names, operators and short literals are kept verbatim (short literals such as `'utf-8'`
/// or `0` are worth predicting exactly); long literals are abstracted to `<str>`/`<num>`.
/// Layout tokens become `<nl>`, `<in>` and `<de>`; comments are dropped.
public enum TokenNormalizer {
    /// Start-of-file padding symbol.
    public static let bos = "<s>"
    /// End of a logical line.
    public static let newline = "<nl>"
    /// Indentation increase.
    public static let indent = "<in>"
    /// Indentation decrease.
    public static let dedent = "<de>"
    /// An abstracted long string literal.
    public static let longString = "<str>"
    /// An abstracted long number literal.
    public static let longNumber = "<num>"
    /// Longest string literal kept verbatim, in bytes.
    public static let maxStringLength = 24
    /// Longest number literal kept verbatim, in bytes.
    public static let maxNumberLength = 8

    /// The model symbol for `token`, or nil when the token is not modelled (comments, end marker).
    public static func symbol(_ token: PyToken, in source: [UInt8]) -> String? {
        switch token.kind {
        case .name, .op: return token.text(in: source)
        case .number:
            return token.end - token.start <= maxNumberLength ? token.text(in: source) : longNumber
        case .string:
            if token.end - token.start > maxStringLength { return longString }
            for i in token.start..<min(token.end, source.count) where source[i] == 10 || source[i] == 13 {
                return longString
            }
            return token.text(in: source)
        case .newline: return newline
        case .indent: return indent
        case .dedent: return dedent
        case .error: return "<err>"
        case .comment, .endMarker: return nil
        }
    }

    /// Whether a symbol can be rendered as source text (layout and abstract symbols cannot).
    public static func isRenderable(_ symbol: String) -> Bool {
        guard let f = symbol.utf8.first else { return false }
        if f == 60, symbol.utf8.count > 2, symbol.utf8.last == 62 { return false } // <...>
        return true
    }

    /// Whether a symbol is an identifier (not a keyword).
    public static func isIdentifier(_ symbol: String) -> Bool {
        guard let f = symbol.utf8.first, isIdentStart(f) else { return false }
        if symbol.utf8.contains(where: { $0 == 34 || $0 == 39 }) { return false }
        return !PythonKeywords.all.contains(symbol)
    }

    /// Whether a symbol is a name or keyword.
    public static func isNameLike(_ symbol: String) -> Bool {
        guard let f = symbol.utf8.first, isIdentStart(f) else { return false }
        return !symbol.utf8.contains(where: { $0 == 34 || $0 == 39 })
    }

    /// The spacing class of a symbol: keywords and operators stand for themselves,
    /// other names are `N`, numbers `0`, strings `S`.
    public static func spacingClass(_ symbol: String) -> String {
        guard let f = symbol.utf8.first else { return "?" }
        if isIdentStart(f) {
            if symbol.utf8.contains(where: { $0 == 34 || $0 == 39 }) { return "S" }
            return PythonKeywords.all.contains(symbol) ? symbol : "N"
        }
        if isDigit(f) || (f == 46 && symbol.utf8.count > 1 && symbol != "...") { return "0" }
        if f == 34 || f == 39 { return "S" }
        if symbol == longString { return "S" }
        if symbol == longNumber { return "0" }
        return symbol
    }
}
