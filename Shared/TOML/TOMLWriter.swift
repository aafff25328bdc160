/// Writes a table as a TOML 1.0 document that `TOMLParser` reads back to an equal table.
///
/// Each table's plain entries come first (`key = value`, arrays and inline tables on one
/// line), then its sub-tables as `[a.b]` sections and its arrays of tables (non-empty
/// arrays whose elements are all tables) as `[[a.b]]` sections; a table inside an array
/// that also holds other values is written inline. Keys are bare where TOML allows,
/// else quoted; strings are basic strings with escapes; floats are written in the
/// shortest form that reads back exactly (`inf`, `-inf`, `nan` as such); date-times as
/// RFC 3339 with their parts as held.
public enum TOMLWriter {
    /// The document for `table`.
    public static func write(_ table: TOMLTable) -> String {
        var output = ""
        writeSection(table, path: [], into: &output)
        return output
    }

    /// Writes `table`'s entries, then its sections, under the header path `path`.
    private static func writeSection(_ table: TOMLTable, path: [String], into output: inout String) {
        let entries = table.entries
        for entry in entries where !isSection(entry.value) {
            output += key(entry.key)
            output += " = "
            writeInline(entry.value, into: &output)
            output += "\n"
        }
        for entry in entries {
            switch entry.value {
            case .table(let child):
                let childPath = path + [entry.key]
                output += output.isEmpty ? "[" : "\n["
                output += dotted(childPath)
                output += "]\n"
                writeSection(child, path: childPath, into: &output)
            case .array(let elements) where isSection(entry.value):
                let childPath = path + [entry.key]
                for element in elements {
                    output += output.isEmpty ? "[[" : "\n[["
                    output += dotted(childPath)
                    output += "]]\n"
                    writeSection(element.table!, path: childPath, into: &output)
                }
            default:
                break
            }
        }
    }

    /// True for a value written as a section: a table, or a non-empty array of tables.
    private static func isSection(_ value: TOMLValue) -> Bool {
        switch value {
        case .table: return true
        case .array(let elements): return !elements.isEmpty && elements.allSatisfy { $0.table != nil }
        default: return false
        }
    }

    /// Writes `value` on one line.
    private static func writeInline(_ value: TOMLValue, into output: inout String) {
        switch value {
        case .string(let text): output += quoted(text)
        case .integer(let number): output += String(number)
        case .float(let number): output += float(number)
        case .boolean(let flag): output += flag ? "true" : "false"
        case .offsetDateTime(let dateTime), .localDateTime(let dateTime), .localDate(let dateTime), .localTime(let dateTime):
            output += dateTime.description
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += ", " }
                writeInline(element, into: &output)
            }
            output += "]"
        case .table(let table):
            guard !table.isEmpty else {
                output += "{}"
                return
            }
            output += "{ "
            for (index, entry) in table.entries.enumerated() {
                if index > 0 { output += ", " }
                output += key(entry.key)
                output += " = "
                writeInline(entry.value, into: &output)
            }
            output += " }"
        }
    }

    /// A float as TOML writes it: the shortest decimal that reads back exactly.
    private static func float(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        return number.description
    }

    /// A header path: `a.b."c d"`.
    private static func dotted(_ path: [String]) -> String {
        path.map(key).joined(separator: ".")
    }

    /// A key: bare when it is non-empty and only `A-Za-z0-9_-`, else a quoted string.
    static func key(_ name: String) -> String {
        !name.isEmpty && name.utf8.allSatisfy(\.isBareKey) ? name : quoted(name)
    }

    /// A basic string with `"`, `\` and control characters escaped.
    static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            case "\r": output += "\\r"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\u{00}"..."\u{1F}", "\u{7F}": output += "\\u" + TOMLScanner.hex(scalar.value, width: 4)
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}
