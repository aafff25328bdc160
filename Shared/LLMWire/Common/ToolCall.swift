/// A tool the model asked to call: the provider's call id (what a later tool result names),
/// the tool's name and its arguments as JSON text (as the model wrote them; a stream's
/// fragments joined).
public struct ToolCall: Sendable, Equatable {
    /// The provider's id of this call (`call_…` for OpenAI, `toolu_…` for Anthropic).
    public var id: String
    /// The tool's name.
    public var name: String
    /// The arguments, JSON text (`{}` when the model sent none).
    public var arguments: String

    /// A tool call.
    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}
