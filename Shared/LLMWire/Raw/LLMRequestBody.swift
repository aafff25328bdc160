import JSON

/// A client's request body as the bridge holds it: the bytes it sent and their parsed value
/// (strict: duplicate keys refused, object members in order). The bridge reads what it
/// records from the value and forwards the client's own bytes, changed only to ask a
/// streamed OpenAI call for its usage (`forwardingBytes()`); no field is dropped or reordered.
public struct LLMRequestBody: Sendable {
    /// The API the body is for.
    public let api: LLMAPI
    /// The bytes the client sent.
    public let bytes: [UInt8]
    /// The top-level object.
    public let object: JSONObject

    /// Parses `bytes`; `LLMWireError` when they are not one JSON object.
    public init(api: LLMAPI, bytes: [UInt8]) throws(LLMWireError) {
        guard case .object(let object) = try WireJSON.parse(bytes) else {
            throw LLMWireError("the request body is not a JSON object")
        }
        self.api = api
        self.bytes = bytes
        self.object = object
    }

    /// `model`, if it is a string.
    public var model: String? { object["model"]?.string }

    /// Whether the client asked for a stream (`stream: true`).
    public var isStreaming: Bool { object["stream"]?.bool == true }

    /// Whether a streamed OpenAI response will carry usage as the client asked
    /// (`stream_options.include_usage: true`).
    public var clientAskedForUsage: Bool { object["stream_options"]?.object?["include_usage"]?.bool == true }

    /// The prompt to record: for chat and messages the last message's text when its role is
    /// `user` (a string, or its last text part); for a legacy completion the `prompt` (the
    /// last one of a batch; token-id prompts give nil).
    public var userPrompt: String? {
        switch api {
        case .openAICompletions:
            guard let prompt = object["prompt"] else { return nil }
            return prompt.string ?? prompt.array?.last?.string
        case .openAIChat, .anthropicMessages:
            guard let last = object["messages"]?.array?.last?.object, last["role"]?.string == "user" else { return nil }
            return Self.lastText(of: last["content"])
        }
    }

    /// The tool calls the last input message answers, in order: the `tool_call_id` of a
    /// final chat `tool` message, the `tool_use_id`s of the `tool_result` blocks in a final
    /// Anthropic user message. The last of them links the call to its thread's parent.
    public var toolResultCallIDs: [String] {
        guard let last = object["messages"]?.array?.last?.object else { return [] }
        switch api {
        case .openAIChat:
            guard last["role"]?.string == "tool", let id = last["tool_call_id"]?.string else { return [] }
            return [id]
        case .anthropicMessages:
            return (last["content"]?.array ?? []).compactMap { block in
                guard let fields = block.object, fields["type"]?.string == "tool_result" else { return nil }
                return fields["tool_use_id"]?.string
            }
        case .openAICompletions:
            return []
        }
    }

    /// The tool call whose result the request carries last (the thread parent's call), if any.
    public var correlatingToolCallID: String? { toolResultCallIDs.last }

    /// The bytes to send upstream. For a streamed OpenAI request that does not ask for usage,
    /// `stream_options.include_usage: true` is added (the bridge records usage from the last
    /// chunk) and `injectedUsage` is true: the bridge then passes each chunk through
    /// `OpenAIUsageFilter` so the client receives what it asked for. Otherwise the client's
    /// bytes unchanged.
    ///
    /// Without `stream_options` the member is spliced in before the object's closing brace,
    /// every other byte kept; with a `stream_options` object the document is re-serialized from
    /// the parsed value (members in order, numbers and strings as parsed).
    public func forwardingBytes() -> (bytes: [UInt8], injectedUsage: Bool) {
        guard api != .anthropicMessages, isStreaming, !clientAskedForUsage else { return (bytes, false) }
        let include: JSONValue = .object(["include_usage": .bool(true)])
        guard let existing = object["stream_options"] else {
            guard let close = bytes.lastIndex(where: { !Self.isWhitespace($0) }), bytes[close] == UInt8(ascii: "}") else {
                return (bytes, false)
            }
            var member = JSONBuilder()
            if !object.isEmpty { member.raw(",") }
            member.string("stream_options")
            member.raw(":")
            member.value(include)
            return (Array(bytes[..<close]) + member.bytes + Array(bytes[close...]), true)
        }
        var rewritten = object
        if var options = existing.object {
            options["include_usage"] = .bool(true)
            rewritten["stream_options"] = .object(options)
        } else {
            rewritten["stream_options"] = include
        }
        return (JSONValue.object(rewritten).serialized, true)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// A content value's text: the string, or the text of its last `text` part or block.
    private static func lastText(of content: JSONValue?) -> String? {
        guard let content else { return nil }
        if let text = content.string { return text }
        return content.array?.last { $0.object?["type"]?.string == "text" }?.object?["text"]?.string
    }
}
