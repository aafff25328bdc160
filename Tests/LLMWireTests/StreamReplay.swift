import HTTPCore
import LLMWire

/// Replays stream bytes, split into the given chunks, through the SSE parser and the
/// module's event decoding into an accumulator, as the bridge reads an upstream.
enum StreamReplay {
    static func events(_ chunks: [[UInt8]]) -> [SSEEvent] {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        for chunk in chunks { events += parser.feed(chunk) }
        return events + parser.finish()
    }

    static func chat(_ chunks: [[UInt8]]) throws -> ChatStreamAccumulator {
        var accumulator = ChatStreamAccumulator()
        for event in events(chunks) { accumulator.add(try OpenAIStreamEvent<ChatCompletionChunk>(event)) }
        return accumulator
    }

    static func completion(_ chunks: [[UInt8]]) throws -> CompletionStreamAccumulator {
        var accumulator = CompletionStreamAccumulator()
        for event in events(chunks) { accumulator.add(try OpenAIStreamEvent<CompletionResponse>(event)) }
        return accumulator
    }

    static func anthropic(_ chunks: [[UInt8]]) throws -> MessagesStreamAccumulator {
        var accumulator = MessagesStreamAccumulator()
        for event in events(chunks) { accumulator.add(try MessagesStreamEvent(event)) }
        return accumulator
    }
}
