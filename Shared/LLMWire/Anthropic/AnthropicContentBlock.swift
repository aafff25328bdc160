import JSON

/// One content block of an Anthropic message: `text`, `tool_use` (the model calls a tool),
/// `tool_result` (the caller answers one), `image`, `thinking`, … Only the fields of the
/// modelled kinds are kept (the bridge forwards raw JSON, see `LLMRequestBody`).
public struct AnthropicContentBlock: Codable, Sendable, Equatable {
    /// The block's kind.
    public var type: String
    /// A `text` block's text.
    public var text: String?
    /// A `tool_use` block's id (`toolu_…`).
    public var id: String?
    /// A `tool_use` block's tool name.
    public var name: String?
    /// A `tool_use` block's input object.
    public var input: JSONValue?
    /// The `tool_use` a `tool_result` answers.
    public var toolUseID: String?
    /// A `tool_result`'s content: a string or a list of blocks.
    public var content: JSONValue?
    /// Whether a `tool_result` reports a failure.
    public var isError: Bool?
    /// An `image` (or `document`) block's source.
    public var source: JSONValue?

    /// A block.
    public init(type: String, text: String? = nil, id: String? = nil, name: String? = nil, input: JSONValue? = nil,
                toolUseID: String? = nil, content: JSONValue? = nil, isError: Bool? = nil, source: JSONValue? = nil) {
        self.type = type
        self.text = text
        self.id = id
        self.name = name
        self.input = input
        self.toolUseID = toolUseID
        self.content = content
        self.isError = isError
        self.source = source
    }

    /// A text block.
    public static func text(_ text: String) -> AnthropicContentBlock { AnthropicContentBlock(type: "text", text: text) }

    /// A tool use.
    public static func toolUse(id: String, name: String, input: JSONValue) -> AnthropicContentBlock {
        AnthropicContentBlock(type: "tool_use", id: id, name: name, input: input)
    }

    /// A tool's result for tool use `id`.
    public static func toolResult(id: String, content: String, isError: Bool? = nil) -> AnthropicContentBlock {
        AnthropicContentBlock(type: "tool_result", toolUseID: id, content: .string(content), isError: isError)
    }

    enum CodingKeys: String, CodingKey {
        case type, text, id, name, input
        case toolUseID = "tool_use_id"
        case content
        case isError = "is_error"
        case source
    }
}
