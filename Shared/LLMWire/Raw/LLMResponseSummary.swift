/// What the bridge records from one upstream response, whatever the API: the provider's
/// response id, the model, the token usage and the tool calls.
public struct LLMResponseSummary: Sendable, Equatable {
    /// `chatcmpl-…`, `cmpl-…`, `msg_…`.
    public var responseID: String?
    /// The model that answered.
    public var model: String?
    /// The token counts (nil when the response carried none).
    public var usage: TokenUsage?
    /// The tools the model called, in order.
    public var toolCalls: [ToolCall]

    /// A summary.
    public init(responseID: String?, model: String?, usage: TokenUsage?, toolCalls: [ToolCall]) {
        self.responseID = responseID
        self.model = model
        self.usage = usage
        self.toolCalls = toolCalls
    }

    /// The summary of a whole (not streamed) response body of `api`.
    public init(api: LLMAPI, body: [UInt8]) throws(LLMWireError) {
        switch api {
        case .openAIChat:
            let response = try WireJSON.decode(ChatCompletionResponse.self, from: body)
            self.init(responseID: response.id, model: response.model, usage: response.usage?.tokenUsage, toolCalls: response.toolCalls)
        case .openAICompletions:
            let response = try WireJSON.decode(CompletionResponse.self, from: body)
            self.init(responseID: response.id, model: response.model, usage: response.usage?.tokenUsage, toolCalls: [])
        case .anthropicMessages:
            let response = try WireJSON.decode(MessagesResponse.self, from: body)
            self.init(responseID: response.id, model: response.model, usage: response.usage.tokenUsage, toolCalls: response.toolCalls)
        }
    }
}
