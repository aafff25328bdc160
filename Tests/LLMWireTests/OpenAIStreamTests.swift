import HTTPCore
import Testing
import TestSupport
@testable import LLMWire

@Suite struct OpenAIStreamTests {
    @Test func toolCallsAreReassembledFromTheirFragments() throws {
        let stream = try StreamReplay.chat([WireFixtures.openAISSE(WireFixtures.chatToolStream)])
        #expect(stream.id == "chatcmpl-9xTool" && stream.model == "gpt-4o-2024-08-06" && stream.isDone)
        #expect(stream.toolCalls == [
            ToolCall(id: "call_weather1", name: "get_weather", arguments: #"{"location": "Paris, FR"}"#),
            ToolCall(id: "call_time2", name: "get_time", arguments: #"{"tz":"Europe/Paris"}"#),
        ])
        let response = stream.response
        #expect(response.choices.count == 1)
        #expect(response.choices[0].finishReason == "tool_calls")
        #expect(response.choices[0].message.content == nil && response.choices[0].message.role == "assistant")
        #expect(response.choices[0].message.toolCalls?.map(\.id) == ["call_weather1", "call_time2"])
        #expect(response.toolCalls == stream.toolCalls)
    }

    @Test func streamedUsageComesFromTheUsageChunk() throws {
        let stream = try StreamReplay.chat([WireFixtures.openAISSE(WireFixtures.chatToolStream)])
        let usage = try #require(stream.usage)
        #expect(usage.promptTokens == 82 && usage.completionTokens == 41 && usage.totalTokens == 123)
        #expect(usage.tokenUsage == TokenUsage(inputTokens: 18, outputTokens: 41, cacheReadInputTokens: 64,
                                               extra: [.init("prompt_cached", 64)]))
        let text = try StreamReplay.chat([WireFixtures.openAISSE(WireFixtures.chatTextStream)])
        #expect(text.usage == nil)
        #expect(text.content() == "Hello — wörld\n")
        #expect(text.response.choices.map(\.finishReason) == ["stop"])
        #expect(text.toolCalls.isEmpty)
    }

    @Test("every byte split of each OpenAI stream gives the same result", arguments: [0, 1, 2])
    func everySplit(_ fixture: Int) async throws {
        let datas = [WireFixtures.chatToolStream, WireFixtures.chatTextStream, WireFixtures.completionStream][fixture]
        let bytes = WireFixtures.openAISSE(datas)
        if fixture == 2 {
            let whole = try StreamReplay.completion([bytes]).response
            for chunks in ByteSplits.everyTwoWaySplit(bytes) {
                await Task.yield()  // CPU-bound: give the pool's other jobs a turn
                #expect(try StreamReplay.completion(chunks).response == whole)
            }
            #expect(try StreamReplay.completion(ByteSplits.byteAtATime(bytes)).response == whole)
        } else {
            let whole = try StreamReplay.chat([bytes]).response
            for chunks in ByteSplits.everyTwoWaySplit(bytes) {
                await Task.yield()  // CPU-bound: give the pool's other jobs a turn
                #expect(try StreamReplay.chat(chunks).response == whole)
            }
            #expect(try StreamReplay.chat(ByteSplits.byteAtATime(bytes)).response == whole)
        }
    }

    @Test func fragmentsWithoutAnIndexContinueTheLastCallUnlessANewIDComes() throws {
        var stream = ChatStreamAccumulator()
        func chunk(_ calls: [ChatCompletionChunk.ToolCallDelta]) -> ChatCompletionChunk {
            ChatCompletionChunk(id: "c", model: "m", choices: [.init(index: 0, delta: .init(toolCalls: calls))])
        }
        stream.add(chunk([.init(index: nil, id: "call_a", type: "function", function: .init(name: "first", arguments: "{\"x\""))]))
        stream.add(chunk([.init(index: nil, function: .init(arguments: ":1}"))]))
        stream.add(chunk([.init(index: nil, id: "call_b", function: .init(name: "second", arguments: ""))]))
        stream.add(chunk([.init(index: nil, id: "call_b", function: .init(arguments: "{}"))]))
        stream.add(chunk([.init(index: nil, id: "call_c", function: .init(name: "third"))]))
        #expect(stream.toolCalls == [ToolCall(id: "call_a", name: "first", arguments: #"{"x":1}"#),
                                     ToolCall(id: "call_b", name: "second", arguments: "{}"),
                                     ToolCall(id: "call_c", name: "third", arguments: "{}")])
    }

    @Test func choicesAndCallsAreOrderedByIndexWhateverTheArrivalOrder() {
        var stream = ChatStreamAccumulator()
        stream.add(ChatCompletionChunk(id: "c", model: "m", choices: [
            .init(index: 1, delta: .init(content: "B", toolCalls: [.init(index: 1, id: "call_1b", function: .init(name: "t", arguments: "{}"))])),
            .init(index: 0, delta: .init(content: "A")),
        ]))
        stream.add(ChatCompletionChunk(id: "c", model: "m", choices: [
            .init(index: 1, delta: .init(toolCalls: [.init(index: 0, id: "call_1a", function: .init(name: "t", arguments: "[]"))])),
            .init(index: 0, delta: .init(content: "a"), finishReason: "length"),
        ]))
        #expect(stream.response.choices.map(\.index) == [0, 1])
        #expect(stream.response.choices.map(\.message.content) == ["Aa", "B"])
        #expect(stream.toolCalls.map(\.id) == ["call_1a", "call_1b"])
    }

    @Test func errorsInTheStreamAreReported() throws {
        let data = #"{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":500}}"#
        guard case .error(let body) = try OpenAIStreamEvent<ChatCompletionChunk>(data: Array(data.utf8)) else {
            Issue.record("not an error event")
            return
        }
        #expect(body.error == .init(message: "The server had an error while processing your request.", type: "server_error", code: "500"))
        var stream = ChatStreamAccumulator()
        stream.add(.error(body))
        #expect(stream.error == body && !stream.isDone)
        #expect(throws: LLMWireError.self) { try OpenAIStreamEvent<ChatCompletionChunk>(data: Array(#"{"choices": 5}"#.utf8)) }
        #expect(throws: LLMWireError.self) { try OpenAIStreamEvent<ChatCompletionChunk>(data: Array("not json".utf8)) }
    }

    @Test func fillInTheMiddleStreamJoinsTextAndUsage() throws {
        let stream = try StreamReplay.completion([WireFixtures.openAISSE(WireFixtures.completionStream)])
        #expect(stream.isDone && stream.id == "cmpl-7fim" && stream.model == "qwen2.5-coder-7b")
        #expect(stream.response.choices == [CompletionResponse.Choice(text: "ulate_total(items)", index: 0, finishReason: "stop")])
        #expect(stream.usage?.tokenUsage == TokenUsage(inputTokens: 25, outputTokens: 4))
    }
}
