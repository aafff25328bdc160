/// The page a list asks for, validated (`Pagination`).
public struct PageRequest: Sendable, Equatable {
    /// Rows per page, 1…1000.
    public var limit: Int
    /// Rows to skip (0 with a cursor).
    public var offset: Int
    /// The keyset cursor: the last id of the previous page (`after_id`, `after_session_id`).
    public var after: String?

    /// A page.
    public init(limit: Int = Pagination.defaultLimit, offset: Int = 0, after: String? = nil) {
        self.limit = limit
        self.offset = offset
        self.after = after
    }
}
