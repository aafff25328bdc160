/// A chat completion (`chat.completion`), the answer of a request without `stream`.
public struct ChatCompletionResponse: Codable, Sendable, Equatable {
    /// The completion's id (`chatcmpl-…`), recorded as the provider response id.
    public var id: String
    /// `chat.completion`.
    public var object: String?
    /// Unix seconds.
    public var created: Int?
    /// The model that answered.
    public var model: String?
    /// The backend configuration fingerprint.
    public var systemFingerprint: String?
    /// One per `n`.
    public var choices: [Choice]
    /// Token usage.
    public var usage: OpenAIUsage?

    /// One answer.
    public struct Choice: Codable, Sendable, Equatable {
        /// The choice's index.
        public var index: Int
        /// The assistant's message.
        public var message: Message
        /// `stop`, `length`, `tool_calls`, `content_filter`, …
        public var finishReason: String?

        /// A choice.
        public init(index: Int, message: Message, finishReason: String?) {
            self.index = index
            self.message = message
            self.finishReason = finishReason
        }

        enum CodingKeys: String, CodingKey {
            case index, message
            case finishReason = "finish_reason"
        }
    }

    /// The assistant's message in a response.
    public struct Message: Codable, Sendable, Equatable {
        /// `assistant`.
        public var role: String
        /// The text (nil when the model only called tools).
        public var content: String?
        /// A refusal, if the model refused.
        public var refusal: String?
        /// The tools the model called.
        public var toolCalls: [ChatToolCall]?

        /// A message.
        public init(role: String = "assistant", content: String?, refusal: String? = nil, toolCalls: [ChatToolCall]? = nil) {
            self.role = role
            self.content = content
            self.refusal = refusal
            self.toolCalls = toolCalls
        }

        enum CodingKeys: String, CodingKey {
            case role, content, refusal
            case toolCalls = "tool_calls"
        }
    }

    /// A response.
    public init(id: String, model: String?, choices: [Choice], usage: OpenAIUsage?) {
        self.id = id
        object = "chat.completion"
        self.model = model
        self.choices = choices
        self.usage = usage
    }

    enum CodingKeys: String, CodingKey {
        case id, object, created, model
        case systemFingerprint = "system_fingerprint"
        case choices, usage
    }

    /// Every tool call of every choice, in order.
    public var toolCalls: [ToolCall] {
        choices.flatMap { ($0.message.toolCalls ?? []).map(\.toolCall) }
    }
}
