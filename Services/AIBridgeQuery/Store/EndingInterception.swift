/// What `finish` folds into a session row: the interception it just ended.
struct EndingInterception {
    /// The interception's id (lowercase).
    var id: String
    /// Its initiator.
    var initiatorID: String
    /// Its derived session id.
    var sessionID: String
    /// Its thread root, or its own id.
    var threadKey: String
    /// `openai` or `anthropic`.
    var provider: String
    /// The model.
    var model: String
    /// The client, nil when unknown.
    var client: String?
    /// Start, microseconds.
    var startedAt: Int64
    /// End, microseconds.
    var endedAt: Int64
    /// Its input tokens, summed.
    var inputTokens: Int64
    /// Its output tokens, summed.
    var outputTokens: Int64
    /// Its prompt's time and id, if it has one.
    var prompt: (at: Int64, id: String)?
}
