/// A TOML table: keys in document order, each with its value.
///
/// Lookup is by hash; `keys` keeps the order the document defined them in (for a table
/// built in code, the order of first assignment). Two tables are equal when they hold the
/// same keys with equal values, whatever their order (TOML's meaning of a table).
public struct TOMLTable: Sendable, Equatable {
    /// The keys, in document order.
    public private(set) var keys: [String]
    private var values: [String: TOMLValue]

    /// An empty table.
    public init() {
        keys = []
        values = [:]
    }

    /// A table of `entries`, in their order; a key given twice keeps its last value.
    public init(_ entries: [(key: String, value: TOMLValue)]) {
        self.init()
        for entry in entries { self[entry.key] = entry.value }
    }

    /// The number of keys.
    public var count: Int { keys.count }

    /// True when the table has no keys.
    public var isEmpty: Bool { keys.isEmpty }

    /// The entries, in document order.
    public var entries: [(key: String, value: TOMLValue)] {
        keys.map { key in (key: key, value: values[key]!) }
    }

    /// The value for `key`; setting a new key appends it, setting nil removes it.
    public subscript(key: String) -> TOMLValue? {
        get { values[key] }
        set {
            switch (values[key] != nil, newValue) {
            case (true, let value?):
                values[key] = value
            case (false, let value?):
                values[key] = value
                keys.append(key)
            case (true, nil):
                values[key] = nil
                keys.removeAll { $0 == key }
            case (false, nil):
                break
            }
        }
    }

    /// The value at a path of keys through nested tables (`["verifier", "timeout_sec"]`),
    /// or nil where a key is missing or a step is not a table.
    public subscript(path path: [String]) -> TOMLValue? {
        guard let first = path.first, var value = values[first] else { return nil }
        for key in path.dropFirst() {
            guard case .table(let table) = value, let next = table[key] else { return nil }
            value = next
        }
        return value
    }

    /// Appends a key known to be new (the parser checks).
    mutating func appendNew(_ key: String, _ value: TOMLValue) {
        keys.append(key)
        values[key] = value
    }

    /// Same keys with equal values, whatever their order.
    public static func == (lhs: TOMLTable, rhs: TOMLTable) -> Bool {
        lhs.values == rhs.values
    }
}
