import JSON

/// aibridge-query's query API (seed 002, coder's `/api/v2/aibridge/interceptions`,
/// `/sessions`, `/models`): field names and shapes exactly as coder's `codersdk` writes
/// them. Errors use `CoderError`. Times are `Timestamp` (RFC 3339 with up to microseconds,
/// as Go writes a PostgreSQL `timestamptz`); metadata is a JSON object.
public enum AIBridgeQueryAPI {
    /// coder's `MinimalUser`: the initiator of an interception or session. `name` and
    /// `avatar_url` are `omitempty` in coder; the platform knows one name per user (the
    /// gateway's), written as `username`.
    public struct MinimalUser: Sendable, Codable, Equatable {
        /// The user's id (the gateway's `X-User-Id`).
        public var id: String
        /// The user's name (the gateway's `X-User-Name`), or the id when it was never seen.
        public var username: String
        /// A display name, omitted when empty.
        public var name: String?
        /// An avatar, omitted when empty.
        public var avatarURL: String?

        enum CodingKeys: String, CodingKey { case id, username, name, avatarURL = "avatar_url" }

        /// A user.
        public init(id: String, username: String, name: String? = nil, avatarURL: String? = nil) {
            self.id = id
            self.username = username
            self.name = name
            self.avatarURL = avatarURL
        }
    }

    /// One token usage of an interception (`codersdk.AIBridgeTokenUsage`).
    public struct TokenUsage: Sendable, Codable, Equatable {
        /// The row's id.
        public var id: String
        /// The interception it belongs to.
        public var interceptionID: String
        /// The provider's response id.
        public var providerResponseID: String
        /// Input tokens.
        public var inputTokens: Int64
        /// Output tokens.
        public var outputTokens: Int64
        /// Extra counters (cached tokens, …).
        public var metadata: JSONValue
        /// When it was recorded.
        public var createdAt: Timestamp

        enum CodingKeys: String, CodingKey {
            case id, interceptionID = "interception_id", providerResponseID = "provider_response_id",
                 inputTokens = "input_tokens", outputTokens = "output_tokens", metadata, createdAt = "created_at"
        }

        /// A token usage.
        public init(id: String, interceptionID: String, providerResponseID: String, inputTokens: Int64, outputTokens: Int64,
                    metadata: JSONValue, createdAt: Timestamp) {
            self.id = id
            self.interceptionID = interceptionID
            self.providerResponseID = providerResponseID
            self.inputTokens = inputTokens
            self.outputTokens = outputTokens
            self.metadata = metadata
            self.createdAt = createdAt
        }
    }

    /// The user prompt of an interception (`codersdk.AIBridgeUserPrompt`).
    public struct UserPrompt: Sendable, Codable, Equatable {
        /// The row's id.
        public var id: String
        /// The interception it belongs to.
        public var interceptionID: String
        /// The provider's response id.
        public var providerResponseID: String
        /// The prompt's text.
        public var prompt: String
        /// Metadata.
        public var metadata: JSONValue
        /// When it was recorded.
        public var createdAt: Timestamp

        enum CodingKeys: String, CodingKey {
            case id, interceptionID = "interception_id", providerResponseID = "provider_response_id", prompt, metadata,
                 createdAt = "created_at"
        }

        /// A user prompt.
        public init(id: String, interceptionID: String, providerResponseID: String, prompt: String, metadata: JSONValue,
                    createdAt: Timestamp) {
            self.id = id
            self.interceptionID = interceptionID
            self.providerResponseID = providerResponseID
            self.prompt = prompt
            self.metadata = metadata
            self.createdAt = createdAt
        }
    }

    /// A tool call the model made (`codersdk.AIBridgeToolUsage`); `server_url` and
    /// `invocation_error` are `""` when there is none, as in coder.
    public struct ToolUsage: Sendable, Codable, Equatable {
        /// The row's id.
        public var id: String
        /// The interception it belongs to.
        public var interceptionID: String
        /// The provider's response id.
        public var providerResponseID: String
        /// The MCP server's URL of an injected tool, else `""`.
        public var serverURL: String
        /// The tool's name.
        public var tool: String
        /// The call's arguments, JSON text.
        public var input: String
        /// Whether the bridge injected the tool.
        public var injected: Bool
        /// The invocation's error, else `""`.
        public var invocationError: String
        /// Metadata.
        public var metadata: JSONValue
        /// When it was recorded.
        public var createdAt: Timestamp

        enum CodingKeys: String, CodingKey {
            case id, interceptionID = "interception_id", providerResponseID = "provider_response_id", serverURL = "server_url",
                 tool, input, injected, invocationError = "invocation_error", metadata, createdAt = "created_at"
        }

        /// A tool usage.
        public init(id: String, interceptionID: String, providerResponseID: String, serverURL: String, tool: String, input: String,
                    injected: Bool, invocationError: String, metadata: JSONValue, createdAt: Timestamp) {
            self.id = id
            self.interceptionID = interceptionID
            self.providerResponseID = providerResponseID
            self.serverURL = serverURL
            self.tool = tool
            self.input = input
            self.injected = injected
            self.invocationError = invocationError
            self.metadata = metadata
            self.createdAt = createdAt
        }
    }

    /// One recorded LLM call (`codersdk.AIBridgeInterception`). `api_key_id`, `client` and
    /// `ended_at` are written as `null` when absent; the three lists are always arrays,
    /// ordered by `created_at` then id.
    public struct Interception: Sendable, Codable, Equatable {
        /// The interception's id.
        public var id: String
        /// The caller's API key id, or null.
        public var apiKeyID: String?
        /// Who made the call.
        public var initiator: MinimalUser
        /// `openai` or `anthropic`.
        public var provider: String
        /// The model asked for.
        public var model: String
        /// The client (`Claude Code`, `Codex`, …), or null.
        public var client: String?
        /// Metadata (a JSON object).
        public var metadata: JSONValue
        /// When the bridge received the call.
        public var startedAt: Timestamp
        /// When the response finished (never null in answers: in-flight rows are hidden).
        public var endedAt: Timestamp?
        /// Token usages.
        public var tokenUsages: [TokenUsage]
        /// The user prompt, at most one.
        public var userPrompts: [UserPrompt]
        /// Tool calls.
        public var toolUsages: [ToolUsage]

        enum CodingKeys: String, CodingKey {
            case id, apiKeyID = "api_key_id", initiator, provider, model, client, metadata, startedAt = "started_at",
                 endedAt = "ended_at", tokenUsages = "token_usages", userPrompts = "user_prompts", toolUsages = "tool_usages"
        }

        /// An interception.
        public init(id: String, apiKeyID: String?, initiator: MinimalUser, provider: String, model: String, client: String?,
                    metadata: JSONValue, startedAt: Timestamp, endedAt: Timestamp?, tokenUsages: [TokenUsage],
                    userPrompts: [UserPrompt], toolUsages: [ToolUsage]) {
            self.id = id
            self.apiKeyID = apiKeyID
            self.initiator = initiator
            self.provider = provider
            self.model = model
            self.client = client
            self.metadata = metadata
            self.startedAt = startedAt
            self.endedAt = endedAt
            self.tokenUsages = tokenUsages
            self.userPrompts = userPrompts
            self.toolUsages = toolUsages
        }

        /// Decodes an interception (absent and null optionals alike).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            apiKeyID = try c.decodeIfPresent(String.self, forKey: .apiKeyID)
            initiator = try c.decode(MinimalUser.self, forKey: .initiator)
            provider = try c.decode(String.self, forKey: .provider)
            model = try c.decode(String.self, forKey: .model)
            client = try c.decodeIfPresent(String.self, forKey: .client)
            metadata = try c.decode(JSONValue.self, forKey: .metadata)
            startedAt = try c.decode(Timestamp.self, forKey: .startedAt)
            endedAt = try c.decodeIfPresent(Timestamp.self, forKey: .endedAt)
            tokenUsages = try c.decode([TokenUsage].self, forKey: .tokenUsages)
            userPrompts = try c.decode([UserPrompt].self, forKey: .userPrompts)
            toolUsages = try c.decode([ToolUsage].self, forKey: .toolUsages)
        }

        /// Encodes every key, `null` for an absent `api_key_id`, `client` or `ended_at`.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encodeOrNull(apiKeyID, forKey: .apiKeyID)
            try c.encode(initiator, forKey: .initiator)
            try c.encode(provider, forKey: .provider)
            try c.encode(model, forKey: .model)
            try c.encodeOrNull(client, forKey: .client)
            try c.encode(metadata, forKey: .metadata)
            try c.encode(startedAt, forKey: .startedAt)
            try c.encodeOrNull(endedAt, forKey: .endedAt)
            try c.encode(tokenUsages, forKey: .tokenUsages)
            try c.encode(userPrompts, forKey: .userPrompts)
            try c.encode(toolUsages, forKey: .toolUsages)
        }
    }

    /// `GET /api/v2/aibridge/interceptions` → `{"count", "results"}`.
    public struct ListInterceptionsResponse: Sendable, Codable, Equatable {
        /// Every match, ignoring paging.
        public var count: Int64
        /// The page, newest first.
        public var results: [Interception]

        /// A page.
        public init(count: Int64, results: [Interception]) {
            self.count = count
            self.results = results
        }
    }

    /// A session's token sums.
    public struct TokenUsageSummary: Sendable, Codable, Equatable {
        /// Input tokens.
        public var inputTokens: Int64
        /// Output tokens.
        public var outputTokens: Int64

        enum CodingKeys: String, CodingKey { case inputTokens = "input_tokens", outputTokens = "output_tokens" }

        /// Sums.
        public init(inputTokens: Int64, outputTokens: Int64) {
            self.inputTokens = inputTokens
            self.outputTokens = outputTokens
        }
    }

    /// The interceptions of one (session id, initiator) (`codersdk.AIBridgeSession`).
    /// `client` is `null` when the earliest interception has none; `ended_at` and
    /// `last_prompt` are omitted when absent (`omitempty` in coder).
    public struct Session: Sendable, Codable, Equatable {
        /// The session id: the client's session id, else the thread root, else the interception's id.
        public var id: String
        /// Whose session it is.
        public var initiator: MinimalUser
        /// Distinct providers, ascending.
        public var providers: [String]
        /// Distinct models, ascending.
        public var models: [String]
        /// The earliest interception's client, or null.
        public var client: String?
        /// The earliest interception's metadata.
        public var metadata: JSONValue
        /// The earliest start.
        public var startedAt: Timestamp
        /// The latest end.
        public var endedAt: Timestamp?
        /// Distinct thread roots.
        public var threads: Int64
        /// Token sums.
        public var tokenUsageSummary: TokenUsageSummary
        /// The newest prompt, omitted when there is none.
        public var lastPrompt: String?

        enum CodingKeys: String, CodingKey {
            case id, initiator, providers, models, client, metadata, startedAt = "started_at", endedAt = "ended_at", threads,
                 tokenUsageSummary = "token_usage_summary", lastPrompt = "last_prompt"
        }

        /// A session.
        public init(id: String, initiator: MinimalUser, providers: [String], models: [String], client: String?, metadata: JSONValue,
                    startedAt: Timestamp, endedAt: Timestamp?, threads: Int64, tokenUsageSummary: TokenUsageSummary, lastPrompt: String?) {
            self.id = id
            self.initiator = initiator
            self.providers = providers
            self.models = models
            self.client = client
            self.metadata = metadata
            self.startedAt = startedAt
            self.endedAt = endedAt
            self.threads = threads
            self.tokenUsageSummary = tokenUsageSummary
            self.lastPrompt = lastPrompt
        }

        /// Decodes a session (absent and null optionals alike).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            initiator = try c.decode(MinimalUser.self, forKey: .initiator)
            providers = try c.decode([String].self, forKey: .providers)
            models = try c.decode([String].self, forKey: .models)
            client = try c.decodeIfPresent(String.self, forKey: .client)
            metadata = try c.decode(JSONValue.self, forKey: .metadata)
            startedAt = try c.decode(Timestamp.self, forKey: .startedAt)
            endedAt = try c.decodeIfPresent(Timestamp.self, forKey: .endedAt)
            threads = try c.decode(Int64.self, forKey: .threads)
            tokenUsageSummary = try c.decode(TokenUsageSummary.self, forKey: .tokenUsageSummary)
            lastPrompt = try c.decodeIfPresent(String.self, forKey: .lastPrompt)
        }

        /// Encodes `client` as `null` when absent, omits an absent `ended_at` or `last_prompt`.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(initiator, forKey: .initiator)
            try c.encode(providers, forKey: .providers)
            try c.encode(models, forKey: .models)
            try c.encodeOrNull(client, forKey: .client)
            try c.encode(metadata, forKey: .metadata)
            try c.encode(startedAt, forKey: .startedAt)
            try c.encodeIfPresent(endedAt, forKey: .endedAt)
            try c.encode(threads, forKey: .threads)
            try c.encode(tokenUsageSummary, forKey: .tokenUsageSummary)
            try c.encodeIfPresent(lastPrompt, forKey: .lastPrompt)
        }
    }

    /// `GET /api/v2/aibridge/sessions` → `{"count", "sessions"}`.
    public struct ListSessionsResponse: Sendable, Codable, Equatable {
        /// Every matching session, ignoring paging.
        public var count: Int64
        /// The page, newest first.
        public var sessions: [Session]

        /// A page.
        public init(count: Int64, sessions: [Session]) {
            self.count = count
            self.sessions = sessions
        }
    }
}

extension KeyedEncodingContainer {
    /// The value, or `null` when there is none (coder writes these keys always).
    fileprivate mutating func encodeOrNull<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}
