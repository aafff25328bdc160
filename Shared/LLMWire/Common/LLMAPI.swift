/// The three recorded APIs.
public enum LLMAPI: String, Sendable, CaseIterable {
    /// OpenAI `POST /v1/chat/completions`.
    case openAIChat
    /// OpenAI legacy `POST /v1/completions` (fill in the middle with `suffix`).
    case openAICompletions
    /// Anthropic `POST /v1/messages`.
    case anthropicMessages

    /// The provider an interception is recorded under.
    public var provider: LLMProvider {
        switch self {
        case .openAIChat, .openAICompletions: .openai
        case .anthropicMessages: .anthropic
        }
    }
}
