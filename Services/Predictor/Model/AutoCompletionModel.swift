/// The `auto` model: n-gram mixture and symbol model merged at the first token, then the line
/// completed by beam search.
public struct AutoCompletionModel: CompletionModel {
    /// Registry name.
    public let name = "auto"
    /// Decoder settings.
    public var settings: LocalDecoder.Settings
    /// Creates the model.
    public init(settings: LocalDecoder.Settings = LocalDecoder.Settings()) { self.settings = settings }
    /// Completes with all local models.
    public func complete(_ ctx: CompletionContext, n: Int) async -> [Candidate] {
        LocalDecoder(ctx, settings: settings).predictions(n: n).map { Candidate(text: $0.text, score: $0.score, model: name) }
    }
}
