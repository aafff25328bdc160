/// OpenAI's `usage` object (chat and legacy completions): prompt and completion tokens, with
/// the details newer models report.
public struct OpenAIUsage: Codable, Sendable, Equatable {
    /// Tokens in the prompt, cached ones included.
    public var promptTokens: Int
    /// Tokens generated.
    public var completionTokens: Int
    /// Their sum.
    public var totalTokens: Int?
    /// Breakdown of the prompt tokens.
    public var promptTokensDetails: PromptDetails?
    /// Breakdown of the completion tokens.
    public var completionTokensDetails: CompletionDetails?

    /// `prompt_tokens_details`.
    public struct PromptDetails: Codable, Sendable, Equatable {
        /// Prompt tokens served from the cache.
        public var cachedTokens: Int?
        /// Audio prompt tokens.
        public var audioTokens: Int?

        /// Details with these counts.
        public init(cachedTokens: Int? = nil, audioTokens: Int? = nil) {
            self.cachedTokens = cachedTokens
            self.audioTokens = audioTokens
        }

        enum CodingKeys: String, CodingKey {
            case cachedTokens = "cached_tokens"
            case audioTokens = "audio_tokens"
        }
    }

    /// `completion_tokens_details`.
    public struct CompletionDetails: Codable, Sendable, Equatable {
        /// Tokens spent reasoning.
        public var reasoningTokens: Int?
        /// Audio output tokens.
        public var audioTokens: Int?
        /// Predicted-output tokens that appeared in the completion.
        public var acceptedPredictionTokens: Int?
        /// Predicted-output tokens that did not.
        public var rejectedPredictionTokens: Int?

        /// Details with these counts.
        public init(reasoningTokens: Int? = nil, audioTokens: Int? = nil,
                    acceptedPredictionTokens: Int? = nil, rejectedPredictionTokens: Int? = nil) {
            self.reasoningTokens = reasoningTokens
            self.audioTokens = audioTokens
            self.acceptedPredictionTokens = acceptedPredictionTokens
            self.rejectedPredictionTokens = rejectedPredictionTokens
        }

        enum CodingKeys: String, CodingKey {
            case reasoningTokens = "reasoning_tokens"
            case audioTokens = "audio_tokens"
            case acceptedPredictionTokens = "accepted_prediction_tokens"
            case rejectedPredictionTokens = "rejected_prediction_tokens"
        }
    }

    /// A usage object.
    public init(promptTokens: Int, completionTokens: Int, totalTokens: Int? = nil,
                promptTokensDetails: PromptDetails? = nil, completionTokensDetails: CompletionDetails? = nil) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens
        self.promptTokensDetails = promptTokensDetails
        self.completionTokensDetails = completionTokensDetails
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
        case promptTokensDetails = "prompt_tokens_details"
        case completionTokensDetails = "completion_tokens_details"
    }

    /// The provider-neutral record: input is the prompt minus its cached tokens.
    public var tokenUsage: TokenUsage {
        let cached = promptTokensDetails?.cachedTokens ?? 0
        return TokenUsage(
            inputTokens: max(0, promptTokens - cached), outputTokens: completionTokens, cacheReadInputTokens: cached,
            extra: TokenUsage.counters([
                ("prompt_cached", cached),
                ("prompt_audio", promptTokensDetails?.audioTokens),
                ("completion_reasoning", completionTokensDetails?.reasoningTokens),
                ("completion_audio", completionTokensDetails?.audioTokens),
                ("completion_accepted_prediction", completionTokensDetails?.acceptedPredictionTokens),
                ("completion_rejected_prediction", completionTokensDetails?.rejectedPredictionTokens),
            ]))
    }
}
