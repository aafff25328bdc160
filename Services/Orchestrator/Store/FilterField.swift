/// How a document key is matched by a `GET /{collection}?key=value` filter.
enum FilterField: Sendable {
    /// A string column; `null` matches SQL NULL when `nullable`.
    case text(String, nullable: Bool)
    /// A number column, compared by value; `null` matches SQL NULL when `nullable`.
    case number(String, nullable: Bool)
    /// A list: the document matches when the list contains the value (`?` is the value).
    case contains(String)
    /// A JSON object (train_perf, test_perf): only `null` can match.
    case object(String)
}
