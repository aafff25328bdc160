import HTTPCore

/// One server-sent event of a streamed Anthropic message: `message_start`, then per content
/// block `content_block_start`, `content_block_delta`s and `content_block_stop`, then
/// `message_delta` (stop reason, cumulative usage) and `message_stop`; `ping`s anywhere and
/// an `error` in place of the rest. Event types the API adds later are `unknown`, not an
/// error (Anthropic's versioning policy asks clients to ignore them).
public enum MessagesStreamEvent: Sendable, Equatable {
    /// The message with empty content: id, model, the input side of the usage.
    case messageStart(StreamMessage)
    /// A content block begins (`text` with empty text, `tool_use` with id and name, …).
    case contentBlockStart(index: Int, block: StreamContentBlock)
    /// The next piece of a block: `text_delta`, `input_json_delta`, `thinking_delta`, …
    case contentBlockDelta(index: Int, delta: ContentDelta)
    /// A block is complete.
    case contentBlockStop(index: Int)
    /// The stop reason and the cumulative usage.
    case messageDelta(stopReason: String?, stopSequence: String?, usage: AnthropicUsage?)
    /// The message is complete.
    case messageStop
    /// Keep-alive.
    case ping
    /// The upstream failed mid-stream (`overloaded_error`, …).
    case error(AnthropicErrorBody.Detail)
    /// An event type this module does not know.
    case unknown(type: String)

    /// `message_start`'s message.
    public struct StreamMessage: Codable, Sendable, Equatable {
        /// The message id (`msg_…`), recorded as the provider response id.
        public var id: String
        /// The model that answers.
        public var model: String?
        /// `assistant`.
        public var role: String?
        /// The usage so far (input tokens, cache reads and writes).
        public var usage: AnthropicUsage?

        /// A message start.
        public init(id: String, model: String?, role: String? = "assistant", usage: AnthropicUsage?) {
            self.id = id
            self.model = model
            self.role = role
            self.usage = usage
        }
    }

    /// A block as `content_block_start` opens it (a `tool_use` block's `input` is always
    /// `{}` here; the arguments follow as `input_json_delta`s).
    public struct StreamContentBlock: Codable, Sendable, Equatable {
        /// `text`, `tool_use`, `thinking`, `server_tool_use`, …
        public var type: String
        /// A tool use's id (`toolu_…`).
        public var id: String?
        /// A tool use's tool name.
        public var name: String?
        /// A text block's initial text (usually empty).
        public var text: String?

        /// A block start.
        public init(type: String, id: String? = nil, name: String? = nil, text: String? = nil) {
            self.type = type
            self.id = id
            self.name = name
            self.text = text
        }
    }

    /// `content_block_delta`'s delta.
    public struct ContentDelta: Codable, Sendable, Equatable {
        /// `text_delta`, `input_json_delta`, `thinking_delta`, `signature_delta`, …
        public var type: String
        /// A `text_delta`'s text.
        public var text: String?
        /// An `input_json_delta`'s piece of the tool input's JSON text.
        public var partialJSON: String?
        /// A `thinking_delta`'s text.
        public var thinking: String?

        /// A delta.
        public init(type: String, text: String? = nil, partialJSON: String? = nil, thinking: String? = nil) {
            self.type = type
            self.text = text
            self.partialJSON = partialJSON
            self.thinking = thinking
        }

        enum CodingKeys: String, CodingKey {
            case type, text, thinking
            case partialJSON = "partial_json"
        }
    }

    /// The event in an SSE event's `data` (its `type` member names the event).
    public init(_ event: SSEEvent) throws(LLMWireError) {
        try self.init(data: Array(event.data.utf8))
    }

    /// The event in `data`.
    public init(data: [UInt8]) throws(LLMWireError) {
        let raw = try WireJSON.decode(RawEvent.self, from: data)
        func index() throws(LLMWireError) -> Int {
            guard let index = raw.index else { throw LLMWireError("\(raw.type) without an index") }
            return index
        }
        switch raw.type {
        case "message_start":
            guard let message = raw.message else { throw LLMWireError("message_start without a message") }
            self = .messageStart(message)
        case "content_block_start":
            guard let block = raw.contentBlock else { throw LLMWireError("content_block_start without a content_block") }
            self = .contentBlockStart(index: try index(), block: block)
        case "content_block_delta":
            guard let delta = raw.delta, let type = delta.type else { throw LLMWireError("content_block_delta without a typed delta") }
            self = .contentBlockDelta(index: try index(), delta: ContentDelta(type: type, text: delta.text, partialJSON: delta.partialJSON,
                                                                              thinking: delta.thinking))
        case "content_block_stop":
            self = .contentBlockStop(index: try index())
        case "message_delta":
            self = .messageDelta(stopReason: raw.delta?.stopReason, stopSequence: raw.delta?.stopSequence, usage: raw.usage)
        case "message_stop":
            self = .messageStop
        case "ping":
            self = .ping
        case "error":
            guard let error = raw.error else { throw LLMWireError("error event without an error") }
            self = .error(error)
        default:
            self = .unknown(type: raw.type)
        }
    }

    /// Every member any event type has; which ones are set depends on `type`.
    private struct RawEvent: Decodable {
        var type: String
        var message: StreamMessage?
        var index: Int?
        var contentBlock: StreamContentBlock?
        var delta: RawDelta?
        var usage: AnthropicUsage?
        var error: AnthropicErrorBody.Detail?

        enum CodingKeys: String, CodingKey {
            case type, message, index, delta, usage, error
            case contentBlock = "content_block"
        }
    }

    /// A content delta or a message delta.
    private struct RawDelta: Decodable {
        var type: String?
        var text: String?
        var partialJSON: String?
        var thinking: String?
        var stopReason: String?
        var stopSequence: String?

        enum CodingKeys: String, CodingKey {
            case type, text, thinking
            case partialJSON = "partial_json"
            case stopReason = "stop_reason"
            case stopSequence = "stop_sequence"
        }
    }
}
