/// The wire format an LLM call speaks (and the `provider` an interception is recorded under).
public enum LLMProvider: String, Sendable, Codable, CaseIterable {
    /// OpenAI chat completions and legacy completions (and every OpenAI-compatible server).
    case openai
    /// Anthropic messages.
    case anthropic
}
