/// A table while its document is being read. Nodes are references, so a key deep in the
/// tree is reached and extended in place (no copy of the tables above it), which keeps
/// reading linear in the document's size.
final class TOMLTableNode {
    /// How the table came to exist, which decides what may still be done to it.
    enum Origin {
        /// Created as a step of a longer header (`a` of `[a.b]`): a later `[a]` may still
        /// define it, and dotted keys may add to it.
        case implicit
        /// Defined by its own header (`[a]`), an array-of-tables element or the root: never
        /// defined again, and dotted keys from an enclosing section may not add to it.
        case header
        /// Created by dotted keys (`a.b = 1` makes `a`): dotted keys may add to it, a header
        /// may not define it (a longer header may pass through it).
        case dotted
    }

    /// One entry of a table being read.
    enum Entry {
        /// A table that may still grow.
        case table(TOMLTableNode)
        /// An array of tables (`[[a]]`), growing by one element per header.
        case arrayOfTables(TOMLTableArrayNode)
        /// A finished value: a scalar, a static array or an inline table (never extended).
        case value(TOMLValue)
    }

    /// How the table came to exist.
    var origin: Origin
    /// The keys in document order.
    private(set) var keys: [String] = []
    /// The entries by key.
    private(set) var entries: [String: Entry] = [:]

    /// A new, empty table.
    init(origin: Origin) { self.origin = origin }

    /// Adds an entry under a key known to be new.
    func add(_ key: String, _ entry: Entry) {
        keys.append(key)
        entries[key] = entry
    }

    /// The finished table (recursion is bounded by the parser's depth limit).
    func finished() -> TOMLTable {
        var table = TOMLTable()
        for key in keys {
            switch entries[key]! {
            case .table(let node): table.appendNew(key, .table(node.finished()))
            case .arrayOfTables(let array): table.appendNew(key, .array(array.tables.map { .table($0.finished()) }))
            case .value(let value): table.appendNew(key, value)
            }
        }
        return table
    }
}
