/// The column names of a result set, shared by all of its rows.
final class RowColumns: Sendable {
    /// Column names in result order.
    let names: [String]

    init(names: [String]) { self.names = names }

    /// Index of `name`: exact match first, then ASCII case-insensitive (as SQLite resolves names).
    func index(of name: String) -> Int? {
        if let i = names.firstIndex(of: name) { return i }
        let lower = name.lowercased()
        return names.firstIndex { $0.lowercased() == lower }
    }
}
