/// Rebuilds a streamed chat completion from its chunks: the text and refusal of each
/// choice, tool calls reassembled from their fragments (by index; a fragment without one
/// continues the last call unless it brings a new id), the finish reasons, and the usage
/// of the last chunk. `response` is what the same request without `stream` would have
/// answered.
public struct ChatStreamAccumulator: Sendable {
    /// The completion's id (from the first chunk that has one).
    public private(set) var id: String?
    /// The model (from the first chunk that names one).
    public private(set) var model: String?
    /// The usage chunk's counts, if the stream carried one.
    public private(set) var usage: OpenAIUsage?
    /// Whether `[DONE]` was seen.
    public private(set) var isDone = false
    /// An error the upstream sent in the stream.
    public private(set) var error: OpenAIErrorBody?
    private var choices: [ChoiceState] = []

    private struct ChoiceState: Sendable {
        var index: Int
        var role: String?
        var content: String?
        var refusal: String?
        var finishReason: String?
        var tools: [ToolState] = []
    }

    private struct ToolState: Sendable {
        var index: Int
        var id: String?
        var name: String = ""
        var arguments: String = ""
    }

    /// An empty accumulator.
    public init() {}

    /// Adds one event of the stream.
    public mutating func add(_ event: OpenAIStreamEvent<ChatCompletionChunk>) {
        switch event {
        case .chunk(let chunk): add(chunk)
        case .done: isDone = true
        case .error(let body): error = body
        }
    }

    /// Adds one chunk.
    public mutating func add(_ chunk: ChatCompletionChunk) {
        if id == nil, let chunkID = chunk.id, !chunkID.isEmpty { id = chunkID }
        if model == nil, let chunkModel = chunk.model, !chunkModel.isEmpty { model = chunkModel }
        if let chunkUsage = chunk.usage { usage = chunkUsage }
        for choice in chunk.choices {
            let position = choicePosition(choice.index)
            var state = choices[position]
            let delta = choice.delta
            if let role = delta.role { state.role = role }
            if let content = delta.content { state.content = (state.content ?? "") + content }
            if let refusal = delta.refusal { state.refusal = (state.refusal ?? "") + refusal }
            if let reason = choice.finishReason { state.finishReason = reason }
            for fragment in delta.toolCalls ?? [] { Self.apply(fragment, to: &state.tools) }
            choices[position] = state
        }
    }

    private mutating func choicePosition(_ index: Int) -> Int {
        if let found = choices.firstIndex(where: { $0.index == index }) { return found }
        let position = choices.firstIndex { $0.index > index } ?? choices.count
        choices.insert(ChoiceState(index: index), at: position)
        return position
    }

    private static func apply(_ fragment: ChatCompletionChunk.ToolCallDelta, to tools: inout [ToolState]) {
        let position: Int
        if let index = fragment.index {
            if let found = tools.firstIndex(where: { $0.index == index }) {
                position = found
            } else {
                position = tools.firstIndex { $0.index > index } ?? tools.count
                tools.insert(ToolState(index: index), at: position)
            }
        } else if let last = tools.indices.last, fragment.id == nil || fragment.id == tools[last].id {
            position = last
        } else {
            tools.append(ToolState(index: (tools.map(\.index).max() ?? -1) + 1))
            position = tools.count - 1
        }
        if tools[position].id == nil, let id = fragment.id, !id.isEmpty { tools[position].id = id }
        if let name = fragment.function?.name { tools[position].name += name }
        if let arguments = fragment.function?.arguments { tools[position].arguments += arguments }
    }

    /// The tool calls of every choice, in order (arguments `{}` when the model sent none).
    public var toolCalls: [ToolCall] {
        choices.flatMap { choice in
            choice.tools.map { ToolCall(id: $0.id ?? "", name: $0.name, arguments: $0.arguments.isEmpty ? "{}" : $0.arguments) }
        }
    }

    /// The text of choice `index` so far.
    public func content(choice index: Int = 0) -> String? {
        choices.first { $0.index == index }?.content
    }

    /// The completion as one response.
    public var response: ChatCompletionResponse {
        ChatCompletionResponse(
            id: id ?? "", model: model,
            choices: choices.map { choice in
                let calls = choice.tools.map {
                    ChatToolCall(id: $0.id ?? "", name: $0.name, arguments: $0.arguments.isEmpty ? "{}" : $0.arguments)
                }
                return ChatCompletionResponse.Choice(
                    index: choice.index,
                    message: .init(role: choice.role ?? "assistant", content: choice.content, refusal: choice.refusal,
                                   toolCalls: calls.isEmpty ? nil : calls),
                    finishReason: choice.finishReason)
            },
            usage: usage)
    }
}
