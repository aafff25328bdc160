import JSON
import Storage

/// A row of the `session` table: the aggregates of one (initiator, session id) over its
/// ended interceptions, as `finish` keeps them.
struct SessionRow {
    /// The earliest start, microseconds.
    var startedAt: Int64
    /// The latest end, microseconds.
    var endedAt: Int64
    /// The earliest interception by (started_at, id): its client and metadata are the session's.
    var firstInterceptionID: String
    /// Distinct providers, ascending.
    var providers: [String]
    /// Distinct models, ascending.
    var models: [String]
    /// Distinct thread roots.
    var threads: Int64
    /// Summed input tokens.
    var inputTokens: Int64
    /// Summed output tokens.
    var outputTokens: Int64
    /// The newest prompt by (created_at, id).
    var lastPromptID: String?
    /// Its time, microseconds.
    var lastPromptAt: Int64?

    /// Reads the columns of `Queries.sessionToUpdate`.
    init(row: Row) throws {
        startedAt = try row.get("started_at")
        endedAt = try row.get("ended_at")
        firstInterceptionID = try row.get("first_interception_id")
        providers = Self.names(try row.get("providers", as: String.self))
        models = Self.names(try row.get("models", as: String.self))
        threads = try row.get("threads")
        inputTokens = try row.get("input_tokens")
        outputTokens = try row.get("output_tokens")
        lastPromptID = try row.get("last_prompt_id")
        lastPromptAt = try row.get("last_prompt_at")
    }

    /// Adds a newly ended interception (`newThread`: no other ended interception of the
    /// session has its thread key).
    mutating func fold(_ ending: EndingInterception, newThread: Bool) {
        if (ending.startedAt, ending.id) < (startedAt, firstInterceptionID) {
            startedAt = ending.startedAt
            firstInterceptionID = ending.id
        }
        endedAt = max(endedAt, ending.endedAt)
        if !providers.contains(ending.provider) { providers.append(ending.provider); providers.sort() }
        if !models.contains(ending.model) { models.append(ending.model); models.sort() }
        if newThread { threads += 1 }
        inputTokens += ending.inputTokens
        outputTokens += ending.outputTokens
        if let prompt = ending.prompt {
            if let at = lastPromptAt, let id = lastPromptID, (prompt.at, prompt.id) <= (at, id) { return }
            lastPromptAt = prompt.at
            lastPromptID = prompt.id
        }
    }

    /// A JSON array of strings as kept in the row (empty when unreadable).
    static func names(_ text: String) -> [String] {
        (try? JSONParser().parse(text))?.strings ?? []
    }
}
