/// One event of a streamed chat completion (`chat.completion.chunk`): per choice a delta
/// (role, content, tool-call fragments) and, once, a finish reason; with
/// `stream_options.include_usage` a last chunk with no choices carries `usage`.
public struct ChatCompletionChunk: Codable, Sendable, Equatable {
    /// The completion's id, the same in every chunk.
    public var id: String?
    /// `chat.completion.chunk`.
    public var object: String?
    /// Unix seconds.
    public var created: Int?
    /// The model that answered.
    public var model: String?
    /// The backend configuration fingerprint.
    public var systemFingerprint: String?
    /// The choices this chunk advances (empty in the usage chunk).
    public var choices: [Choice]
    /// Usage, in the last chunk when asked for (`null` in the others).
    public var usage: OpenAIUsage?

    /// One choice's progress.
    public struct Choice: Codable, Sendable, Equatable {
        /// The choice's index.
        public var index: Int
        /// What this chunk adds.
        public var delta: Delta
        /// `stop`, `length`, `tool_calls`, `content_filter`, … in the choice's last chunk.
        public var finishReason: String?

        /// A choice update.
        public init(index: Int, delta: Delta, finishReason: String? = nil) {
            self.index = index
            self.delta = delta
            self.finishReason = finishReason
        }

        enum CodingKeys: String, CodingKey {
            case index, delta
            case finishReason = "finish_reason"
        }
    }

    /// The fields a chunk adds to the message.
    public struct Delta: Codable, Sendable, Equatable {
        /// `assistant`, in the first chunk.
        public var role: String?
        /// The next piece of text.
        public var content: String?
        /// The next piece of a refusal.
        public var refusal: String?
        /// Tool-call fragments.
        public var toolCalls: [ToolCallDelta]?

        /// A delta.
        public init(role: String? = nil, content: String? = nil, refusal: String? = nil, toolCalls: [ToolCallDelta]? = nil) {
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

    /// A fragment of a tool call: the first names the call (`id`, `type`, `function.name`),
    /// the following add to `function.arguments`; `index` says which call.
    public struct ToolCallDelta: Codable, Sendable, Equatable {
        /// Which tool call of the choice (some servers leave it out).
        public var index: Int?
        /// The call id, in the call's first fragment.
        public var id: String?
        /// `function`, in the first fragment.
        public var type: String?
        /// The function's name and the next piece of its arguments.
        public var function: FunctionDelta?

        /// A fragment.
        public init(index: Int?, id: String? = nil, type: String? = nil, function: FunctionDelta? = nil) {
            self.index = index
            self.id = id
            self.type = type
            self.function = function
        }
    }

    /// The function part of a tool-call fragment.
    public struct FunctionDelta: Codable, Sendable, Equatable {
        /// The name, in the first fragment.
        public var name: String?
        /// The next piece of the arguments' JSON text.
        public var arguments: String?

        /// A function fragment.
        public init(name: String? = nil, arguments: String? = nil) {
            self.name = name
            self.arguments = arguments
        }
    }

    /// A chunk.
    public init(id: String?, model: String?, choices: [Choice], usage: OpenAIUsage? = nil) {
        self.id = id
        object = "chat.completion.chunk"
        self.model = model
        self.choices = choices
        self.usage = usage
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        object = try container.decodeIfPresent(String.self, forKey: .object)
        created = try container.decodeIfPresent(Int.self, forKey: .created)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        systemFingerprint = try container.decodeIfPresent(String.self, forKey: .systemFingerprint)
        choices = try container.decodeIfPresent([Choice].self, forKey: .choices) ?? []
        usage = try container.decodeIfPresent(OpenAIUsage.self, forKey: .usage)
    }

    enum CodingKeys: String, CodingKey {
        case id, object, created, model
        case systemFingerprint = "system_fingerprint"
        case choices, usage
    }
}
