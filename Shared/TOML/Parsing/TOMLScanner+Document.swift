/// The document's lines: key/value pairs, `[table]` and `[[array of tables]]` headers,
/// comments and blank lines, and the rules on defining a table only once.
extension TOMLScanner {
    /// Reads the whole document.
    mutating func parseDocument() throws(TOMLError) -> TOMLTable {
        let root = TOMLTableNode(origin: .header)
        var section = root
        var sectionLevel = 1
        while true {
            skipWhitespace()
            guard let byte = peek() else { break }
            switch byte {
            case .hash, .lineFeed, .carriageReturn:
                try finishLine(after: "a comment")
            case .openBracket:
                let start = position
                let isArray = peek(1) == .openBracket
                position += isArray ? 2 : 1
                let path = try parseKeyPath()
                try checkDepth(path.count + 1, at: start)
                if isArray ? !looksAt("]]") : peek() != .closeBracket {
                    let close = isArray ? "']]'" : "']'"
                    throw error("expected \(close) to close the header, found \(describeNext())")
                }
                position += isArray ? 2 : 1
                section = try openSection(path, isArray: isArray, in: root)
                sectionLevel = path.count + 1
                try finishLine(after: "the header")
            default:
                try parseKeyValue(into: section, level: sectionLevel)
                try finishLine(after: "the value")
            }
        }
        return root.finished()
    }

    /// Reads `key = value` at the cursor into `table` (a table at `level`).
    mutating func parseKeyValue(into table: TOMLTableNode, level: Int) throws(TOMLError) {
        let path = try parseKeyPath()
        guard peek() == .equals else {
            throw error("expected '=' after the key \(Self.display(path)), found \(describeNext())")
        }
        position += 1
        skipWhitespace()
        try checkDepth(level + path.count - 1, at: path[0].offset)
        let value = try parseValue(level: level + path.count)
        try insert(value, at: path, into: table)
    }

    /// Stores `value` under the dotted `path` in `table`, creating the tables the dots
    /// name. Dotted keys may extend tables they created themselves (or ones only implied
    /// by a longer header), never a table defined by a header, an array of tables or a value.
    mutating func insert(_ value: TOMLValue, at path: [KeyPart], into table: TOMLTableNode) throws(TOMLError) {
        var node = table
        for (index, part) in path.dropLast().enumerated() {
            switch node.entries[part.name] {
            case nil:
                let child = TOMLTableNode(origin: .dotted)
                node.add(part.name, .table(child))
                node = child
            case .table(let child)?:
                guard child.origin != .header else {
                    throw error("the table \(Self.display(path[...index])) was defined by a header; dotted keys cannot add to it from here", at: part.offset)
                }
                child.origin = .dotted
                node = child
            case .arrayOfTables?:
                throw error("\(Self.display(path[...index])) is an array of tables; dotted keys cannot add to it", at: part.offset)
            case .value(let existing)?:
                throw error("the key \(Self.display(path[...index])) is already defined as a \(existing.typeName)", at: part.offset)
            }
        }
        let last = path[path.count - 1]
        guard node.entries[last.name] == nil else {
            throw error("duplicate key \(Self.display(path))", at: last.offset)
        }
        node.add(last.name, .value(value))
    }

    /// The table a `[path]` or `[[path]]` header opens, created (or, for `[[path]]`, a new
    /// element appended) as TOML allows.
    mutating func openSection(_ path: [KeyPart], isArray: Bool, in root: TOMLTableNode) throws(TOMLError) -> TOMLTableNode {
        var node = root
        for (index, part) in path.dropLast().enumerated() {
            switch node.entries[part.name] {
            case nil:
                let child = TOMLTableNode(origin: .implicit)
                node.add(part.name, .table(child))
                node = child
            case .table(let child)?:
                node = child
            case .arrayOfTables(let array)?:
                node = array.tables[array.tables.count - 1]
            case .value(let existing)?:
                throw error("the key \(Self.display(path[...index])) is a \(existing.typeName), not a table", at: part.offset)
            }
        }
        let last = path[path.count - 1]
        let name = Self.display(path)
        switch (node.entries[last.name], isArray) {
        case (nil, false):
            let table = TOMLTableNode(origin: .header)
            node.add(last.name, .table(table))
            return table
        case (nil, true):
            let array = TOMLTableArrayNode()
            node.add(last.name, .arrayOfTables(array))
            return array.append()
        case (.table(let table)?, false):
            switch table.origin {
            case .implicit:
                table.origin = .header
                return table
            case .header:
                throw error("the table [\(name)] is defined twice", at: last.offset)
            case .dotted:
                throw error("the table [\(name)] was already defined with dotted keys", at: last.offset)
            }
        case (.table?, true):
            throw error("[[\(name)]] names a table, not an array of tables", at: last.offset)
        case (.arrayOfTables(let array)?, true):
            return array.append()
        case (.arrayOfTables?, false):
            throw error("[\(name)] is an array of tables; [[\(name)]] adds an element to it", at: last.offset)
        case (.value(let existing)?, _):
            throw error("the key \(name) is already defined as a \(existing.typeName)", at: last.offset)
        }
    }
}
