import Storage

/// A contract document kept in one collection: how it is read from a row selected with
/// `Queries.columns(collection)`.
protocol StoredDocument: Encodable, Sendable {
    /// Its collection.
    static var collection: Collection { get }

    /// Reads a document from a row; `lists` decodes the list columns (shared by the rows of one read).
    init(row: Row, lists: inout ListColumnDecoder) throws
}
