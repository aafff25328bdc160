/// A message (`type: message`), the answer of a request without `stream`.
public struct MessagesResponse: Codable, Sendable, Equatable {
    /// The message id (`msg_…`), recorded as the provider response id.
    public var id: String
    /// `message`.
    public var type: String
    /// `assistant`.
    public var role: String
    /// The model that answered.
    public var model: String
    /// Text, tool uses, thinking, …
    public var content: [AnthropicContentBlock]
    /// `end_turn`, `tool_use`, `max_tokens`, `stop_sequence`, …
    public var stopReason: String?
    /// The stop sequence that ended the message.
    public var stopSequence: String?
    /// Token usage.
    public var usage: AnthropicUsage

    /// A message.
    public init(id: String, model: String, content: [AnthropicContentBlock], stopReason: String?, usage: AnthropicUsage) {
        self.id = id
        type = "message"
        role = "assistant"
        self.model = model
        self.content = content
        self.stopReason = stopReason
        self.usage = usage
    }

    enum CodingKeys: String, CodingKey {
        case id, type, role, model, content
        case stopReason = "stop_reason"
        case stopSequence = "stop_sequence"
        case usage
    }

    /// The tool uses, in order (input as compact JSON text).
    public var toolCalls: [ToolCall] {
        content.filter { $0.type == "tool_use" }.map {
            ToolCall(id: $0.id ?? "", name: $0.name ?? "", arguments: $0.input?.serializedText ?? "{}")
        }
    }
}
