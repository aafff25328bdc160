/// The `symbols` model: names defined/imported in the file and the user's uploads, ranked by
/// scope proximity and frequency; completes the identifier only.
public struct SymbolCompletionModel: CompletionModel {
    /// Registry name.
    public let name = "symbols"
    /// Creates the model.
    public init() {}
    /// Completes the identifier at the cursor from known symbols.
    public func complete(_ ctx: CompletionContext, n: Int) async -> [Candidate] {
        var s = LocalDecoder.Settings()
        s.ngramWeight = 0
        s.symbolWeight = 1
        s.extendLine = false
        return LocalDecoder(ctx, settings: s).predictions(n: n).map { Candidate(text: $0.text, score: $0.score, model: name) }
    }
}
