/// A completion model. Implementations may be local (synchronous work) or remote (an LLM
/// call), hence `async`.
public protocol CompletionModel: Sendable {
    /// The registry name (`ngram`, `symbols`, `auto`, `llm`, ...).
    var name: String { get }
    /// Up to `n` distinct, non-empty candidates, best first.
    func complete(_ ctx: CompletionContext, n: Int) async -> [Candidate]
}
