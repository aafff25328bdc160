import JSON

/// A messages request (`POST /v1/messages`). Fields left nil are not sent.
public struct MessagesRequest: Codable, Sendable, Equatable {
    /// The model.
    public var model: String
    /// Most tokens to generate (required by the API).
    public var maxTokens: Int
    /// The conversation.
    public var messages: [AnthropicMessage]
    /// The system prompt: text or text blocks.
    public var system: AnthropicContent?
    /// Tools the model may use.
    public var tools: [AnthropicTool]?
    /// `{"type": "auto" | "any" | "tool" | "none", …}`.
    public var toolChoice: JSONValue?
    /// Answer as server-sent events.
    public var stream: Bool?
    /// Sampling temperature.
    public var temperature: Double?
    /// Nucleus sampling.
    public var topP: Double?
    /// Top-k sampling.
    public var topK: Int?
    /// Where to stop.
    public var stopSequences: [String]?
    /// `{"user_id": …}`.
    public var metadata: JSONValue?

    /// A request.
    public init(model: String, maxTokens: Int, messages: [AnthropicMessage], system: AnthropicContent? = nil,
                tools: [AnthropicTool]? = nil, stream: Bool? = nil) {
        self.model = model
        self.maxTokens = maxTokens
        self.messages = messages
        self.system = system
        self.tools = tools
        self.stream = stream
    }

    enum CodingKeys: String, CodingKey {
        case model
        case maxTokens = "max_tokens"
        case messages, system, tools
        case toolChoice = "tool_choice"
        case stream, temperature
        case topP = "top_p"
        case topK = "top_k"
        case stopSequences = "stop_sequences"
        case metadata
    }
}
