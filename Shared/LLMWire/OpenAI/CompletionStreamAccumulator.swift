/// Rebuilds a streamed legacy completion: each choice's text joined, its finish reason, and
/// the usage of the last event.
public struct CompletionStreamAccumulator: Sendable {
    /// The completion's id.
    public private(set) var id: String?
    /// The model.
    public private(set) var model: String?
    /// The usage event's counts, if the stream carried one.
    public private(set) var usage: OpenAIUsage?
    /// Whether `[DONE]` was seen.
    public private(set) var isDone = false
    /// An error the upstream sent in the stream.
    public private(set) var error: OpenAIErrorBody?
    private var choices: [CompletionResponse.Choice] = []

    /// An empty accumulator.
    public init() {}

    /// Adds one event of the stream.
    public mutating func add(_ event: OpenAIStreamEvent<CompletionResponse>) {
        switch event {
        case .chunk(let chunk): add(chunk)
        case .done: isDone = true
        case .error(let body): error = body
        }
    }

    /// Adds one event's completion piece.
    public mutating func add(_ chunk: CompletionResponse) {
        if id == nil, let chunkID = chunk.id, !chunkID.isEmpty { id = chunkID }
        if model == nil, let chunkModel = chunk.model, !chunkModel.isEmpty { model = chunkModel }
        if let chunkUsage = chunk.usage { usage = chunkUsage }
        for piece in chunk.choices {
            if let position = choices.firstIndex(where: { $0.index == piece.index }) {
                choices[position].text += piece.text
                if let reason = piece.finishReason { choices[position].finishReason = reason }
            } else {
                let position = choices.firstIndex { $0.index > piece.index } ?? choices.count
                choices.insert(piece, at: position)
            }
        }
    }

    /// The completion as one response.
    public var response: CompletionResponse {
        CompletionResponse(id: id, model: model, choices: choices, usage: usage)
    }
}
