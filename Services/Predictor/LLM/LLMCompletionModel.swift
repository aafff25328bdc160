/// The `llm` model: the upstream's completions, falling back to the local `auto` model when
/// the upstream fails, answers nothing or misses the latency budget.
public struct LLMCompletionModel: CompletionModel {
    /// Registry name.
    public let name = "llm"
    /// The upstream.
    public let client: LLMClient
    /// What answers when the upstream does not (nil: nothing).
    public let fallback: (any CompletionModel)?

    /// The model calling `client`, falling back to `fallback`.
    public init(client: LLMClient, fallback: (any CompletionModel)?) {
        self.client = client
        self.fallback = fallback
    }

    /// The upstream's candidates, or the fallback's when there are none in time.
    public func complete(_ ctx: CompletionContext, n: Int) async -> [Candidate] {
        if let candidates = await client.complete(ctx, n: n), !candidates.isEmpty { return candidates }
        return await fallback?.complete(ctx, n: n) ?? []
    }
}
