/// The `ngram` model: base + user + file-cache n-gram models, decoded by beam search.
public struct NGramCompletionModel: CompletionModel {
    /// Registry name.
    public let name = "ngram"
    /// Creates the model.
    public init() {}
    /// Completes with the n-gram mixture only.
    public func complete(_ ctx: CompletionContext, n: Int) async -> [Candidate] {
        var s = LocalDecoder.Settings()
        s.symbolWeight = 0
        return LocalDecoder(ctx, settings: s).predictions(n: n).map { Candidate(text: $0.text, score: $0.score, model: name) }
    }
}
