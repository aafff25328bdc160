import HTTPCore

/// One server-sent event of an OpenAI stream (chat or legacy completions): a chunk, the
/// final `data: [DONE]`, or an error object sent in place of a chunk.
public enum OpenAIStreamEvent<Chunk: Decodable & Sendable>: Sendable {
    /// A chunk (`ChatCompletionChunk` or `CompletionResponse`).
    case chunk(Chunk)
    /// `[DONE]`: the stream is complete.
    case done
    /// `{"error": {...}}` instead of a chunk.
    case error(OpenAIErrorBody)

    /// The event's `data` decoded; `LLMWireError` when it is neither a chunk nor an error.
    public init(_ event: SSEEvent) throws(LLMWireError) {
        try self.init(data: Array(event.data.utf8))
    }

    /// An event from its `data` bytes.
    public init(data: [UInt8]) throws(LLMWireError) {
        if data.elementsEqual("[DONE]".utf8) {
            self = .done
            return
        }
        if let probe = try? WireJSON.decode(ErrorProbe.self, from: data), let error = probe.error {
            self = .error(OpenAIErrorBody(error: error))
            return
        }
        self = .chunk(try WireJSON.decode(Chunk.self, from: data))
    }

    /// Just the `error` member, if any.
    private struct ErrorProbe: Decodable {
        var error: OpenAIErrorBody.Detail?
    }
}
