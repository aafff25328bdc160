import JSON

/// A chat completion request (`POST /v1/chat/completions`). Fields left nil are not sent.
/// (The bridge forwards a client's request as raw JSON, see `LLMRequestBody`; this type is
/// for requests our services make and for reading requests in tests.)
public struct ChatCompletionRequest: Codable, Sendable, Equatable {
    /// The model.
    public var model: String
    /// The conversation.
    public var messages: [ChatMessage]
    /// Tools the model may call.
    public var tools: [ChatTool]?
    /// `none`, `auto`, `required`, or `{"type": "function", "function": {"name"}}`.
    public var toolChoice: JSONValue?
    /// Whether the model may call several tools at once.
    public var parallelToolCalls: Bool?
    /// Answer as server-sent events.
    public var stream: Bool?
    /// Streaming options (`include_usage`).
    public var streamOptions: StreamOptions?
    /// Sampling temperature.
    public var temperature: Double?
    /// Nucleus sampling.
    public var topP: Double?
    /// Most tokens to generate (older name).
    public var maxTokens: Int?
    /// Most tokens to generate, reasoning included.
    public var maxCompletionTokens: Int?
    /// Completions to generate.
    public var n: Int?
    /// Where to stop.
    public var stop: StopSequences?
    /// `{"type": "json_object"}` or a JSON Schema format.
    public var responseFormat: JSONValue?
    /// Sampling seed.
    public var seed: Int?
    /// An end-user id.
    public var user: String?

    /// A request.
    public init(model: String, messages: [ChatMessage], tools: [ChatTool]? = nil, stream: Bool? = nil,
                temperature: Double? = nil, maxTokens: Int? = nil) {
        self.model = model
        self.messages = messages
        self.tools = tools
        self.stream = stream
        self.temperature = temperature
        self.maxTokens = maxTokens
    }

    enum CodingKeys: String, CodingKey {
        case model, messages, tools
        case toolChoice = "tool_choice"
        case parallelToolCalls = "parallel_tool_calls"
        case stream
        case streamOptions = "stream_options"
        case temperature
        case topP = "top_p"
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case n, stop
        case responseFormat = "response_format"
        case seed, user
    }
}
