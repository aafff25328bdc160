/// coder's error messages of the query API, word for word.
enum QueryErrorText {
    /// A paging parameter or the cursor/offset combination.
    static let invalidParameters = "Query parameters have invalid values."
    /// `limit` above 1000.
    static let invalidLimit = "Invalid pagination limit value."
    /// `q` of `/interceptions` (coder's text, a copy of its workspaces' one).
    static let invalidInterceptionSearch = "Invalid workspace search query."
    /// `q` of `/sessions`.
    static let invalidSessionSearch = "Invalid session search query."
    /// `q` of `/models`.
    static let invalidModelSearch = "Invalid AI Bridge models search query."
    /// An `after_id` the caller cannot see.
    static let invalidCursor = "Invalid pagination cursor."
    /// An `after_session_id` the caller cannot see.
    static let invalidSessionCursor = "Query parameter has invalid value."
    /// A store failure while listing interceptions.
    static let interceptionsFailed = "Internal error getting AI Bridge interceptions."
    /// A store failure while listing sessions.
    static let sessionsFailed = "Internal error getting AI Bridge sessions."
    /// A store failure while listing models.
    static let modelsFailed = "Internal error getting AI Bridge models."
}
