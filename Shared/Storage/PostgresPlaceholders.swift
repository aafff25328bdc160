/// Rewrites the `?` placeholders of a statement to PostgreSQL's `$1, $2, ...`.
///
/// `?` inside single-quoted strings (`'...'`, with `''` and, in `E'...'`, backslash escapes),
/// double-quoted identifiers, dollar-quoted strings (`$$...$$`, `$tag$...$tag$`), line
/// comments (`-- ...`) and block comments (`/* ... */`, nested) is left alone. PostgreSQL's
/// jsonb operators spelled with `?` (`?`, `?|`, `?&`) therefore cannot be written in a
/// statement; use the functions `jsonb_exists`, `jsonb_exists_any`, `jsonb_exists_all`.
enum PostgresPlaceholders {
    /// The rewritten text and the number of placeholders.
    static func rewrite(_ sql: String) -> (sql: String, count: Int) {
        let bytes = Array(sql.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        var count = 0
        var index = 0
        let quote = UInt8(ascii: "'"), doubleQuote = UInt8(ascii: "\""), dollar = UInt8(ascii: "$")
        let dash = UInt8(ascii: "-"), slash = UInt8(ascii: "/"), star = UInt8(ascii: "*")
        let backslash = UInt8(ascii: "\\"), question = UInt8(ascii: "?"), newline = UInt8(ascii: "\n")

        /// Copies from `index` through the end of a quoted run closed by `close`.
        func copyQuoted(close: UInt8, backslashEscapes: Bool) {
            out.append(bytes[index])
            index += 1
            while index < bytes.count {
                let byte = bytes[index]
                out.append(byte)
                index += 1
                if backslashEscapes && byte == backslash, index < bytes.count {
                    out.append(bytes[index])
                    index += 1
                } else if byte == close {
                    if index < bytes.count && bytes[index] == close {  // doubled: an escaped quote
                        out.append(bytes[index])
                        index += 1
                    } else {
                        return
                    }
                }
            }
        }

        while index < bytes.count {
            let byte = bytes[index]
            let next: UInt8? = index + 1 < bytes.count ? bytes[index + 1] : nil
            if byte == quote {
                let previous: UInt8? = index > 0 ? bytes[index - 1] : nil
                let escaped = previous == UInt8(ascii: "E") || previous == UInt8(ascii: "e")
                copyQuoted(close: quote, backslashEscapes: escaped)
            } else if byte == doubleQuote {
                copyQuoted(close: doubleQuote, backslashEscapes: false)
            } else if byte == dash && next == dash {
                while index < bytes.count && bytes[index] != newline {
                    out.append(bytes[index])
                    index += 1
                }
            } else if byte == slash && next == star {
                var depth = 0
                while index < bytes.count {
                    if bytes[index] == slash, index + 1 < bytes.count, bytes[index + 1] == star {
                        depth += 1
                        out.append(contentsOf: [slash, star])
                        index += 2
                    } else if bytes[index] == star, index + 1 < bytes.count, bytes[index + 1] == slash {
                        depth -= 1
                        out.append(contentsOf: [star, slash])
                        index += 2
                        if depth == 0 { break }
                    } else {
                        out.append(bytes[index])
                        index += 1
                    }
                }
            } else if byte == dollar, let tagEnd = dollarTagEnd(bytes, from: index) {
                let tag = Array(bytes[index...tagEnd])
                out.append(contentsOf: tag)
                index = tagEnd + 1
                while index < bytes.count {
                    if bytes[index] == dollar, bytes.count - index >= tag.count, Array(bytes[index..<index + tag.count]) == tag {
                        out.append(contentsOf: tag)
                        index += tag.count
                        break
                    }
                    out.append(bytes[index])
                    index += 1
                }
            } else if byte == question {
                count += 1
                out.append(dollar)
                out.append(contentsOf: String(count).utf8)
                index += 1
            } else {
                out.append(byte)
                index += 1
            }
        }
        return (String(decoding: out, as: UTF8.self), count)
    }

    /// The index of the closing `$` of a dollar-quote tag starting at `start` (`$$` or
    /// `$identifier$`), or `nil` when the `$` does not open one (e.g. `$1`).
    private static func dollarTagEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        if start > 0 {
            let previous = bytes[start - 1]
            // `a$b$`: a `$` inside an identifier does not open a quote.
            if isIdentifierByte(previous) { return nil }
        }
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "$") { return index }
            let allowed = index == start + 1 ? (isIdentifierByte(byte) && !(byte >= 0x30 && byte <= 0x39)) : isIdentifierByte(byte)
            if !allowed { return nil }
            index += 1
        }
        return nil
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
            || byte == UInt8(ascii: "_") || byte >= 0x80
    }
}
