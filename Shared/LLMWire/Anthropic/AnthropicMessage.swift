/// One turn of an Anthropic conversation: `user` (text, images, tool results) or
/// `assistant` (text, tool uses).
public struct AnthropicMessage: Codable, Sendable, Equatable {
    /// `user` or `assistant`.
    public var role: String
    /// The content.
    public var content: AnthropicContent

    /// A message.
    public init(role: String, content: AnthropicContent) {
        self.role = role
        self.content = content
    }

    /// A user message of text.
    public static func user(_ text: String) -> AnthropicMessage { AnthropicMessage(role: "user", content: .text(text)) }
}
