import HTTPCore

/// Reads a streamed response of any of the three APIs event by event (the bridge passes
/// the bytes on to the client as they come and hands each parsed event here) and sums it
/// up: `summary` is what the same request without `stream` would have recorded.
public struct LLMStreamRecorder: Sendable {
    /// The API of the stream.
    public let api: LLMAPI
    private var chat = ChatStreamAccumulator()
    private var completion = CompletionStreamAccumulator()
    private var messages = MessagesStreamAccumulator()

    /// A recorder for a stream of `api`.
    public init(api: LLMAPI) { self.api = api }

    /// Adds one event; `LLMWireError` when its data does not have the API's shape (the
    /// bridge keeps forwarding; the record then lacks what the event held).
    public mutating func add(_ event: SSEEvent) throws(LLMWireError) {
        switch api {
        case .openAIChat: chat.add(try OpenAIStreamEvent<ChatCompletionChunk>(event))
        case .openAICompletions: completion.add(try OpenAIStreamEvent<CompletionResponse>(event))
        case .anthropicMessages: messages.add(try MessagesStreamEvent(event))
        }
    }

    /// Whether the stream ended as its API ends one (`[DONE]`, `message_stop`).
    public var isComplete: Bool {
        switch api {
        case .openAIChat: chat.isDone
        case .openAICompletions: completion.isDone
        case .anthropicMessages: messages.isStopped
        }
    }

    /// The error the upstream sent in the stream, if it sent one.
    public var errorMessage: String? {
        switch api {
        case .openAIChat: chat.error?.error.message
        case .openAICompletions: completion.error?.error.message
        case .anthropicMessages: messages.error.map { "\($0.type): \($0.message)" }
        }
    }

    /// What the stream held so far.
    public var summary: LLMResponseSummary {
        switch api {
        case .openAIChat:
            LLMResponseSummary(responseID: chat.id, model: chat.model, usage: chat.usage?.tokenUsage, toolCalls: chat.toolCalls)
        case .openAICompletions:
            LLMResponseSummary(responseID: completion.id, model: completion.model, usage: completion.usage?.tokenUsage, toolCalls: [])
        case .anthropicMessages:
            LLMResponseSummary(responseID: messages.id, model: messages.model, usage: messages.usage?.tokenUsage,
                               toolCalls: messages.toolCalls)
        }
    }
}
