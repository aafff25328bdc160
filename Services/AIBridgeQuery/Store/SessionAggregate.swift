import Contracts
import JSON

/// The fields of a session folded from its matching interceptions (sessions grouped at
/// query time; the same rules as `SessionRow.fold`).
struct SessionAggregate {
    private var first: GroupedInterception?
    private var endedAt: Int64 = .min
    private var providers: Set<String> = []
    private var models: Set<String> = []
    private var threads: Set<String> = []
    private var inputTokens: Int64 = 0
    private var outputTokens: Int64 = 0
    private var lastPrompt: (text: String, at: Int64, id: String)?

    /// Adds one interception.
    mutating func add(_ interception: GroupedInterception) {
        if let current = first {
            if (interception.startedAt, interception.id) < (current.startedAt, current.id) { first = interception }
        } else {
            first = interception
        }
        endedAt = max(endedAt, interception.endedAt)
        providers.insert(interception.provider)
        models.insert(interception.model)
        threads.insert(interception.threadKey)
        inputTokens += interception.inputTokens
        outputTokens += interception.outputTokens
        if let prompt = interception.prompt {
            if let last = lastPrompt, (prompt.at, prompt.id) <= (last.at, last.id) { return }
            lastPrompt = prompt
        }
    }

    /// The session of `key` (at least one interception was added).
    func session(_ key: SessionKey, initiator: AIBridgeQueryAPI.MinimalUser) -> AIBridgeQueryAPI.Session {
        AIBridgeQueryAPI.Session(
            id: key.sessionID, initiator: initiator, providers: providers.sorted(), models: models.sorted(), client: first?.client,
            metadata: JSONValue(metadata: first?.metadata ?? "{}"),
            startedAt: AIBridgeQueryAPI.Timestamp(column: first?.startedAt ?? 0), endedAt: AIBridgeQueryAPI.Timestamp(column: endedAt), threads: Int64(threads.count),
            tokenUsageSummary: .init(inputTokens: inputTokens, outputTokens: outputTokens), lastPrompt: lastPrompt?.text)
    }
}
