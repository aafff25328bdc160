/// Anthropic's `usage`: input tokens (cache reads and writes apart), output tokens, and the
/// newer breakdowns. In a stream, `message_start` carries the input side and
/// `message_delta` the cumulative output (and, on newer API versions, the input side again).
public struct AnthropicUsage: Codable, Sendable, Equatable {
    /// Input tokens not read from or written to the cache.
    public var inputTokens: Int?
    /// Output tokens (cumulative in `message_delta`).
    public var outputTokens: Int?
    /// Input tokens written to the cache.
    public var cacheCreationInputTokens: Int?
    /// Input tokens read from the cache.
    public var cacheReadInputTokens: Int?
    /// Cache writes by lifetime.
    public var cacheCreation: CacheCreation?
    /// Server-side tool use counts.
    public var serverToolUse: ServerToolUse?

    /// `cache_creation`.
    public struct CacheCreation: Codable, Sendable, Equatable {
        /// Tokens written with a 5-minute lifetime.
        public var ephemeral5mInputTokens: Int?
        /// Tokens written with a 1-hour lifetime.
        public var ephemeral1hInputTokens: Int?

        /// A breakdown.
        public init(ephemeral5mInputTokens: Int? = nil, ephemeral1hInputTokens: Int? = nil) {
            self.ephemeral5mInputTokens = ephemeral5mInputTokens
            self.ephemeral1hInputTokens = ephemeral1hInputTokens
        }

        enum CodingKeys: String, CodingKey {
            case ephemeral5mInputTokens = "ephemeral_5m_input_tokens"
            case ephemeral1hInputTokens = "ephemeral_1h_input_tokens"
        }
    }

    /// `server_tool_use`.
    public struct ServerToolUse: Codable, Sendable, Equatable {
        /// Web searches made.
        public var webSearchRequests: Int?

        /// Counts.
        public init(webSearchRequests: Int?) { self.webSearchRequests = webSearchRequests }

        enum CodingKeys: String, CodingKey {
            case webSearchRequests = "web_search_requests"
        }
    }

    /// A usage object.
    public init(inputTokens: Int? = nil, outputTokens: Int? = nil, cacheCreationInputTokens: Int? = nil,
                cacheReadInputTokens: Int? = nil, cacheCreation: CacheCreation? = nil, serverToolUse: ServerToolUse? = nil) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheCreationInputTokens = cacheCreationInputTokens
        self.cacheReadInputTokens = cacheReadInputTokens
        self.cacheCreation = cacheCreation
        self.serverToolUse = serverToolUse
    }

    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
        case cacheCreationInputTokens = "cache_creation_input_tokens"
        case cacheReadInputTokens = "cache_read_input_tokens"
        case cacheCreation = "cache_creation"
        case serverToolUse = "server_tool_use"
    }

    /// This usage with every field that `later` reports replaced by its value (how a
    /// stream's `message_delta` updates `message_start`'s counts).
    public func updated(with later: AnthropicUsage) -> AnthropicUsage {
        AnthropicUsage(inputTokens: later.inputTokens ?? inputTokens,
                       outputTokens: later.outputTokens ?? outputTokens,
                       cacheCreationInputTokens: later.cacheCreationInputTokens ?? cacheCreationInputTokens,
                       cacheReadInputTokens: later.cacheReadInputTokens ?? cacheReadInputTokens,
                       cacheCreation: later.cacheCreation ?? cacheCreation,
                       serverToolUse: later.serverToolUse ?? serverToolUse)
    }

    /// The provider-neutral record.
    public var tokenUsage: TokenUsage {
        TokenUsage(
            inputTokens: inputTokens ?? 0, outputTokens: outputTokens ?? 0,
            cacheReadInputTokens: cacheReadInputTokens ?? 0, cacheCreationInputTokens: cacheCreationInputTokens ?? 0,
            extra: TokenUsage.counters([
                ("cache_read_input", cacheReadInputTokens),
                ("cache_creation_input", cacheCreationInputTokens),
                ("cache_ephemeral_5m_input", cacheCreation?.ephemeral5mInputTokens),
                ("cache_ephemeral_1h_input", cacheCreation?.ephemeral1hInputTokens),
                ("web_search_requests", serverToolUse?.webSearchRequests),
            ]))
    }
}
