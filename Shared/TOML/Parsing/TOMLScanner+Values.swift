/// Values: which kind starts at the cursor, booleans, arrays and inline tables.
extension TOMLScanner {
    /// Reads the value at the cursor; an array or inline table it starts sits at `level`.
    mutating func parseValue(level: Int) throws(TOMLError) -> TOMLValue {
        guard let byte = peek() else { throw error("expected a value, found the end of the document") }
        switch byte {
        case .quote:
            return .string(looksAt("\"\"\"") ? try parseMultilineBasicString() : try parseBasicString())
        case .apostrophe:
            return .string(looksAt("'''") ? try parseMultilineLiteralString() : try parseLiteralString())
        case .openBracket:
            return try parseArray(level: level)
        case .openBrace:
            return try parseInlineTable(level: level)
        case UInt8(ascii: "t") where looksAt("true"):
            position += 4
            return .boolean(true)
        case UInt8(ascii: "f") where looksAt("false"):
            position += 5
            return .boolean(false)
        case _ where byte.isDigit:
            if startsDate { return try parseDateTime() }
            if startsTime { return .localTime(TOMLDateTime(time: try parseTime())) }
            return try parseNumber()
        case .plus, .minus, UInt8(ascii: "i"), UInt8(ascii: "n"):
            return try parseNumber()
        default:
            throw error("expected a value, found \(describe(byte))")
        }
    }

    /// Reads `[ value, … ]` (newlines and comments allowed between elements, a trailing
    /// comma allowed).
    private mutating func parseArray(level: Int) throws(TOMLError) -> TOMLValue {
        let start = position
        try checkDepth(level, at: start)
        position += 1
        var elements: [TOMLValue] = []
        while true {
            try skipBlankLines()
            guard let byte = peek() else { throw error("unterminated array (opened \(openedAt(start)))") }
            if byte == .closeBracket {
                position += 1
                return .array(elements)
            }
            elements.append(try parseValue(level: level + 1))
            try skipBlankLines()
            guard let separator = peek() else { throw error("unterminated array (opened \(openedAt(start)))") }
            switch separator {
            case .comma:
                position += 1
            case .closeBracket:
                position += 1
                return .array(elements)
            default:
                throw error("expected ',' or ']' after an array element, found \(describe(separator))")
            }
        }
    }

    /// Reads `{ key = value, … }` on one line (no trailing comma, TOML 1.0).
    private mutating func parseInlineTable(level: Int) throws(TOMLError) -> TOMLValue {
        let start = position
        try checkDepth(level, at: start)
        position += 1
        let table = TOMLTableNode(origin: .header)
        skipWhitespace()
        if peek() == .closeBrace {
            position += 1
            return .table(TOMLTable())
        }
        while true {
            try parseKeyValue(into: table, level: level)
            skipWhitespace()
            guard let separator = peek() else { throw error("unterminated inline table (opened \(openedAt(start)))") }
            switch separator {
            case .comma:
                position += 1
                skipWhitespace()
                if peek() == .closeBrace { throw error("an inline table cannot end with a comma") }
            case .closeBrace:
                position += 1
                return .table(table.finished())
            case .lineFeed, .carriageReturn:
                throw error("an inline table must be on one line (opened \(openedAt(start)))")
            default:
                throw error("expected ',' or '}' after an inline table entry, found \(describe(separator))")
            }
        }
    }

    /// `line L, column C` of `offset`, for messages about where something was opened.
    func openedAt(_ offset: Int) -> String {
        let place = error("", at: offset)
        return "at line \(place.line), column \(place.column)"
    }
}
