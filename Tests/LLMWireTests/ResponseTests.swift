import HTTPCore
import JSON
import Testing
@testable import LLMWire

/// Whole responses, the recorder over streams, and the usage filter.
@Suite struct ResponseTests {
    static let anthropicResponse = #"""
    {"id":"msg_01Aq9w938a90dw8q","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
     "content":[{"type":"text","text":"I'll check."},
                {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"location":"San Francisco, CA","unit":"celsius"}}],
     "stop_reason":"tool_use","stop_sequence":null,
     "usage":{"input_tokens":2095,"output_tokens":503,"cache_creation_input_tokens":0,"cache_read_input_tokens":1800,"service_tier":"standard"}}
    """#

    @Test func wholeResponsesAreSummarised() throws {
        let chat = try LLMResponseSummary(api: .openAIChat, body: Array(WireFixtures.chatResponse.utf8))
        #expect(chat == LLMResponseSummary(
            responseID: "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", model: "gpt-4o-2024-08-06",
            usage: TokenUsage(inputTokens: 93, outputTokens: 46, cacheReadInputTokens: 1024,
                              extra: [.init("prompt_cached", 1024), .init("completion_reasoning", 12)]),
            toolCalls: [ToolCall(id: "call_abc123", name: "get_current_weather", arguments: "{\n\"location\": \"Boston, MA\"\n}")]))
        let completion = try LLMResponseSummary(api: .openAICompletions, body: Array(WireFixtures.completionResponse.utf8))
        #expect(completion == LLMResponseSummary(responseID: "cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7", model: "gpt-3.5-turbo-instruct",
                                                 usage: TokenUsage(inputTokens: 5, outputTokens: 7), toolCalls: []))
        let anthropic = try LLMResponseSummary(api: .anthropicMessages, body: Array(Self.anthropicResponse.utf8))
        #expect(anthropic == LLMResponseSummary(
            responseID: "msg_01Aq9w938a90dw8q", model: "claude-sonnet-4-5-20250929",
            usage: TokenUsage(inputTokens: 2095, outputTokens: 503, cacheReadInputTokens: 1800, extra: [.init("cache_read_input", 1800)]),
            toolCalls: [ToolCall(id: "toolu_01A09q90qw90lq917835lq9", name: "get_weather",
                                 arguments: #"{"location":"San Francisco, CA","unit":"celsius"}"#)]))
        #expect(throws: LLMWireError.self) { try LLMResponseSummary(api: .anthropicMessages, body: Array(WireFixtures.chatResponse.utf8)) }
    }

    @Test func completionResponsesDecodeEveryChoice() throws {
        let response = try StrictJSONDecoder().decode(CompletionResponse.self, from: Array(WireFixtures.completionResponse.utf8))
        #expect(response.choices == [.init(text: "ulate_total(items)", index: 0, finishReason: "stop"),
                                     .init(text: "ulator = Calculator()", index: 1, finishReason: "length")])
        #expect(response.systemFingerprint == "fp_44709d6fcb")
    }

    @Test func recorderSummarisesEachStreamLikeTheWholeResponse() throws {
        func record(_ api: LLMAPI, _ bytes: [UInt8]) throws -> LLMStreamRecorder {
            var recorder = LLMStreamRecorder(api: api)
            for event in StreamReplay.events([bytes]) { try recorder.add(event) }
            return recorder
        }
        let chat = try record(.openAIChat, WireFixtures.openAISSE(WireFixtures.chatToolStream))
        #expect(chat.isComplete && chat.errorMessage == nil)
        #expect(chat.summary.responseID == "chatcmpl-9xTool" && chat.summary.toolCalls.map(\.id) == ["call_weather1", "call_time2"])
        #expect(chat.summary.usage == TokenUsage(inputTokens: 18, outputTokens: 41, cacheReadInputTokens: 64, extra: [.init("prompt_cached", 64)]))
        let fim = try record(.openAICompletions, WireFixtures.openAISSE(WireFixtures.completionStream))
        #expect(fim.summary == LLMResponseSummary(responseID: "cmpl-7fim", model: "qwen2.5-coder-7b",
                                                  usage: TokenUsage(inputTokens: 25, outputTokens: 4), toolCalls: []))
        let anthropic = try record(.anthropicMessages, WireFixtures.anthropicSSE(WireFixtures.anthropicToolStream))
        #expect(anthropic.isComplete && anthropic.summary.usage?.outputTokens == 89)
        #expect(anthropic.summary.toolCalls.first?.arguments == #"{"location": "San Francisco, CA", "unit": "fahrenheit"}"#)
        let failed = try record(.anthropicMessages, WireFixtures.anthropicSSE(WireFixtures.anthropicErrorStream))
        #expect(!failed.isComplete && failed.errorMessage == "overloaded_error: Overloaded")
        #expect(failed.summary.usage == TokenUsage(inputTokens: 12, outputTokens: 1))
    }

    @Test func streamedAnthropicMessageEqualsTheWholeOne() throws {
        let stream = try StreamReplay.anthropic([WireFixtures.anthropicSSE(WireFixtures.anthropicToolStream)])
        let message = try #require(stream.response)
        #expect(message.content == [
            .text("Okay, let's check the weather for San Francisco, CA:"),
            .toolUse(id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", name: "get_weather",
                     input: .object(["location": .string("San Francisco, CA"), "unit": .string("fahrenheit")])),
        ])
        #expect(message.stopReason == "tool_use" && message.usage.outputTokens == 89 && message.id == "msg_014p7gG3wDgGV9EUtLvnow3U")
        #expect(MessagesStreamAccumulator().response == nil)
    }

    @Test func usageFilterGivesTheClientTheStreamItAskedFor() throws {
        let datas = WireFixtures.chatToolStream
        var forwarded: [String] = []
        for data in datas {
            switch OpenAIUsageFilter.decide(data: Array(data.utf8)) {
            case .forward: forwarded.append(data)
            case .replace(let bytes): forwarded.append(String(decoding: bytes, as: UTF8.self))
            case .drop: continue
            }
        }
        #expect(forwarded.count == datas.count - 1 && forwarded.last == "[DONE]")
        #expect(!forwarded.contains { $0.contains("\"usage\"") })
        // Each forwarded chunk is the upstream's with only the usage member gone, members in order.
        for (sent, original) in zip(forwarded.dropLast(), datas) {
            var expected = try #require(try JSONParser().parse(Array(original.utf8)).object)
            expected["usage"] = nil
            let got = try #require(try JSONParser().parse(Array(sent.utf8)).object)
            #expect(got.keys == expected.keys && got == expected)
        }
        // A client's stream without the option is unchanged; errors pass.
        for data in WireFixtures.chatTextStream { #expect(OpenAIUsageFilter.decide(data: Array(data.utf8)) == .forward) }
        #expect(OpenAIUsageFilter.decide(data: Array(#"{"error":{"message":"x"}}"#.utf8)) == .forward)
        // A server that puts usage on the last content chunk: the chunk stays, without it.
        let combined = #"{"id":"c","choices":[{"index":0,"delta":{"content":"!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1}}"#
        #expect(OpenAIUsageFilter.decide(data: Array(combined.utf8))
                == .replace(Array(#"{"id":"c","choices":[{"index":0,"delta":{"content":"!"},"finish_reason":"stop"}]}"#.utf8)))
    }

    @Test func errorBodiesDecode() throws {
        let openAI = try StrictJSONDecoder().decode(OpenAIErrorBody.self, from: Array(#"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#.utf8))
        #expect(openAI.error == .init(message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key"))
        let anthropic = try StrictJSONDecoder().decode(AnthropicErrorBody.self, from: Array(#"{"type":"error","error":{"type":"not_found_error","message":"The requested resource could not be found."}}"#.utf8))
        #expect(anthropic == AnthropicErrorBody(error: .init(type: "not_found_error", message: "The requested resource could not be found.")))
    }
}
