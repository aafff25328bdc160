/// Which page of a list to read: at most `limit` documents inserted after position `after`
/// (a document's `seq`; nil: from the first), ending early after the document that brings
/// the page's estimated JSON size to `maxBytes` (a page holds at least one document).
struct PageRequest: Sendable {
    /// Most documents in the page.
    var limit: Int
    /// The insertion position the page starts after (nil: the first page).
    var after: Int64?
    /// Estimated JSON bytes after which the page ends.
    var maxBytes: Int
}
