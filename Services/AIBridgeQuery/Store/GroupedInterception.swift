import Storage

/// One matching interception of a session grouped at query time (`Queries.groupedSessionRows`).
struct GroupedInterception {
    /// The interception's id.
    var id: String
    /// Start, microseconds.
    var startedAt: Int64
    /// End, microseconds.
    var endedAt: Int64
    /// `openai` or `anthropic`.
    var provider: String
    /// The model.
    var model: String
    /// The client, nil when unknown.
    var client: String?
    /// Metadata text.
    var metadata: String
    /// Thread root, or its own id.
    var threadKey: String
    /// Summed input tokens.
    var inputTokens: Int64
    /// Summed output tokens.
    var outputTokens: Int64
    /// Its prompt: text, time and id.
    var prompt: (text: String, at: Int64, id: String)?

    /// Reads a row of `Queries.groupedSessionRows`.
    init(row: Row) throws {
        id = try row.get(2)
        startedAt = try row.get(3)
        endedAt = try row.get(4)
        provider = try row.get(5)
        model = try row.get(6)
        client = try row.get(7)
        metadata = try row.get(8)
        threadKey = try row.get(9)
        inputTokens = try row.get(10)
        outputTokens = try row.get(11)
        if let text = try row.get(12, as: String?.self) {
            prompt = (text: text, at: try row.get(13, as: Int64.self), id: try row.get(14, as: String.self))
        }
    }
}
