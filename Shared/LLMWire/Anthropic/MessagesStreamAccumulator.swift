/// Rebuilds a streamed Anthropic message from its events: the id and model of
/// `message_start`, each content block (text joined; a tool use's `input_json_delta` pieces
/// joined into its input's JSON text), the stop reason, and the usage — `message_start`'s
/// counts updated by `message_delta`'s (output tokens there are cumulative).
public struct MessagesStreamAccumulator: Sendable {
    /// The message id.
    public private(set) var id: String?
    /// The model.
    public private(set) var model: String?
    /// The usage so far.
    public private(set) var usage: AnthropicUsage?
    /// The stop reason (`end_turn`, `tool_use`, `max_tokens`, …).
    public private(set) var stopReason: String?
    /// The stop sequence that ended the message, if one did.
    public private(set) var stopSequence: String?
    /// Whether `message_stop` was seen.
    public private(set) var isStopped = false
    /// An error the upstream sent in the stream.
    public private(set) var error: AnthropicErrorBody.Detail?
    /// The content blocks in index order.
    public private(set) var blocks: [Block] = []

    /// A content block as far as it streamed.
    public struct Block: Sendable, Equatable {
        /// The block's index.
        public var index: Int
        /// `text`, `tool_use`, `thinking`, …
        public var type: String
        /// A text block's text, a thinking block's thinking.
        public var text: String
        /// A tool use's id.
        public var toolUseID: String?
        /// A tool use's tool name.
        public var toolName: String?
        /// A tool use's input JSON text (the `input_json_delta` pieces joined).
        public var inputJSON: String
        /// Whether `content_block_stop` was seen.
        public var isComplete: Bool
    }

    /// An empty accumulator.
    public init() {}

    /// Adds one event.
    public mutating func add(_ event: MessagesStreamEvent) {
        switch event {
        case .messageStart(let message):
            id = message.id
            model = message.model
            usage = message.usage
        case .contentBlockStart(let index, let block):
            let position = blockPosition(index, type: block.type)
            blocks[position].type = block.type
            blocks[position].text += block.text ?? ""
            blocks[position].toolUseID = block.id
            blocks[position].toolName = block.name
        case .contentBlockDelta(let index, let delta):
            let position = blockPosition(index, type: nil)
            blocks[position].text += delta.text ?? delta.thinking ?? ""
            blocks[position].inputJSON += delta.partialJSON ?? ""
        case .contentBlockStop(let index):
            blocks[blockPosition(index, type: nil)].isComplete = true
        case .messageDelta(let reason, let sequence, let deltaUsage):
            if let reason { stopReason = reason }
            if let sequence { stopSequence = sequence }
            if let deltaUsage { usage = usage?.updated(with: deltaUsage) ?? deltaUsage }
        case .messageStop:
            isStopped = true
        case .error(let detail):
            error = detail
        case .ping, .unknown:
            break
        }
    }

    private mutating func blockPosition(_ index: Int, type: String?) -> Int {
        if let found = blocks.firstIndex(where: { $0.index == index }) { return found }
        let position = blocks.firstIndex { $0.index > index } ?? blocks.count
        blocks.insert(Block(index: index, type: type ?? "", text: "", inputJSON: "", isComplete: false), at: position)
        return position
    }

    /// The tool uses, in block order (input `{}` when no delta came).
    public var toolCalls: [ToolCall] {
        blocks.filter { $0.type == "tool_use" || $0.type == "server_tool_use" }.map {
            ToolCall(id: $0.toolUseID ?? "", name: $0.toolName ?? "", arguments: $0.inputJSON.isEmpty ? "{}" : $0.inputJSON)
        }
    }

    /// The text blocks' text, joined.
    public var text: String {
        blocks.filter { $0.type == "text" }.map(\.text).joined()
    }

    /// The message as one response (nil before `message_start`); a tool use's input is its
    /// joined JSON text parsed (`{}` when none came, nil when it is not JSON).
    public var response: MessagesResponse? {
        guard let id else { return nil }
        let content = blocks.map { block -> AnthropicContentBlock in
            switch block.type {
            case "tool_use", "server_tool_use":
                let input = try? WireJSON.parse(Array((block.inputJSON.isEmpty ? "{}" : block.inputJSON).utf8))
                return AnthropicContentBlock(type: block.type, id: block.toolUseID, name: block.toolName, input: input)
            default:
                return AnthropicContentBlock(type: block.type, text: block.type == "text" ? block.text : nil)
            }
        }
        var message = MessagesResponse(id: id, model: model ?? "", content: content, stopReason: stopReason,
                                       usage: usage ?? AnthropicUsage())
        message.stopSequence = stopSequence
        return message
    }
}
