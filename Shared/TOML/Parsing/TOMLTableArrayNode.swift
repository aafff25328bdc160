/// An array of tables while its document is being read (`[[a]]` appends an element);
/// a reference, so appending never copies the elements already read.
final class TOMLTableArrayNode {
    /// The elements so far.
    private(set) var tables: [TOMLTableNode] = []

    /// Appends a new element and returns it.
    func append() -> TOMLTableNode {
        let table = TOMLTableNode(origin: .header)
        tables.append(table)
        return table
    }
}
