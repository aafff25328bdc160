/// One page of a list: its documents in insertion order and, when more match, the
/// position the next page starts after.
struct Page<Document: Sendable>: Sendable {
    /// The documents, in insertion order.
    var documents: [Document]
    /// The `after` of the next page; nil on the last page.
    var next: Int64?
}
