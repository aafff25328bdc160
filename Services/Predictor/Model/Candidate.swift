/// One completion suggestion.
public struct Candidate: Sendable, Equatable {
    /// The text replacing the word at the cursor (begins with the typed identifier part,
    /// never contains a newline).
    public var text: String
    /// The model's confidence (higher is better; comparable within one model).
    public var score: Double
    /// The name of the model that produced it.
    public var model: String

    /// Creates a candidate.
    public init(text: String, score: Double, model: String) {
        self.text = text
        self.score = score
        self.model = model
    }
}
