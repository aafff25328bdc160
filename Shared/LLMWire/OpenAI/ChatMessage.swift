/// One message of a chat: `system`/`developer`, `user`, `assistant` (text and/or tool
/// calls) or `tool` (a tool's result, answering `tool_call_id`).
public struct ChatMessage: Codable, Sendable, Equatable {
    /// The author's role.
    public var role: String
    /// The content (nil for an assistant message that only calls tools).
    public var content: ChatContent?
    /// An optional participant name.
    public var name: String?
    /// The tools an assistant message calls.
    public var toolCalls: [ChatToolCall]?
    /// The call a `tool` message answers.
    public var toolCallID: String?

    /// A message.
    public init(role: String, content: ChatContent?, name: String? = nil, toolCalls: [ChatToolCall]? = nil, toolCallID: String? = nil) {
        self.role = role
        self.content = content
        self.name = name
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
    }

    /// A system message.
    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: "system", content: .text(text)) }
    /// A user message.
    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: "user", content: .text(text)) }
    /// An assistant message, with the tools it called.
    public static func assistant(_ text: String?, toolCalls: [ChatToolCall]? = nil) -> ChatMessage {
        ChatMessage(role: "assistant", content: text.map { .text($0) }, toolCalls: toolCalls)
    }
    /// A tool's result for call `id`.
    public static func tool(callID id: String, content: String) -> ChatMessage {
        ChatMessage(role: "tool", content: .text(content), toolCallID: id)
    }

    enum CodingKeys: String, CodingKey {
        case role, content, name
        case toolCalls = "tool_calls"
        case toolCallID = "tool_call_id"
    }
}
