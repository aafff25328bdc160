import Foundation
import JSON
import LLMWire
import Synchronization

/// A recorded interception whose call is under way: it is ended exactly once, with what
/// the response carried (token usage, tool calls) and the request's user prompt. Ended by
/// `finish` when the response finished or failed; if the response is dropped without that
/// (the client's connection went before the answer could start), the interception is ended
/// anyway when this goes away, in the background.
final class OpenInterception: Sendable {
    /// The interception's id.
    let id: UUID
    private let recorder: any InterceptionRecorder
    private let prompt: String?
    private let provider: String
    private let model: String
    private let tokens: TokenCounters
    private let ended = Atomic<Bool>(false)

    /// An interception `recorder` has started, for a request to `provider`'s `model` whose
    /// user prompt is `prompt`; the recorded token usage is added to `tokens`.
    init(id: UUID, recorder: any InterceptionRecorder, prompt: String?, provider: String, model: String, tokens: TokenCounters) {
        self.id = id
        self.recorder = recorder
        self.prompt = prompt
        self.provider = provider
        self.model = model
        self.tokens = tokens
    }

    /// Records `summary` (nil: the response carried nothing to record) and sets `ended_at`;
    /// returns once the store has it, then counts its tokens. Only the first call records;
    /// later ones do nothing.
    func finish(_ summary: LLMResponseSummary?) async throws {
        guard ended.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        let outcome = outcome(summary, at: Date())
        try await recorder.finish(outcome)
        for usage in outcome.tokenUsages {
            tokens.count(provider: provider, model: model, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens)
        }
    }

    deinit {
        guard !ended.load(ordering: .acquiring) else { return }
        let recorder = self.recorder, outcome = self.outcome(nil, at: Date())
        Task { try? await recorder.finish(outcome) }
    }

    /// The rows a response's summary gives, all stamped `now`.
    func outcome(_ summary: LLMResponseSummary?, at now: Date) -> RecordedOutcome {
        let responseID = summary?.responseID ?? ""
        var outcome = RecordedOutcome(interceptionID: id, endedAt: now)
        if let usage = summary?.usage {
            outcome.tokenUsages = [RecordedTokenUsage(id: UUID.random(), providerResponseID: responseID, inputTokens: Int64(usage.inputTokens),
                                                      outputTokens: Int64(usage.outputTokens),
                                                      metadataJSON: Self.counters(usage.extra), createdAt: now)]
        }
        if let prompt {
            outcome.userPrompt = RecordedUserPrompt(id: UUID.random(), providerResponseID: responseID, prompt: prompt, createdAt: now)
        }
        outcome.toolUsages = (summary?.toolCalls ?? []).map { call in
            RecordedToolUsage(id: UUID.random(), providerResponseID: responseID, providerToolCallID: call.id, tool: call.name,
                              input: call.arguments, createdAt: now)
        }
        return outcome
    }

    /// The extra counters as a JSON object's text (`{"prompt_cached":3}`).
    static func counters(_ counters: [TokenUsage.Counter]) -> String {
        JSONValue.object(JSONObject(counters.map { JSONObject.Member(key: $0.name, value: .int(Int64($0.value))) })).serializedText
    }
}
