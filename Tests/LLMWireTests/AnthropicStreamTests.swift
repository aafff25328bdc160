import HTTPCore
import Testing
import TestSupport
@testable import LLMWire

@Suite struct AnthropicStreamTests {
    @Test func toolUseInputIsJoinedFromInputJSONDeltas() throws {
        let stream = try StreamReplay.anthropic([WireFixtures.anthropicSSE(WireFixtures.anthropicToolStream)])
        #expect(stream.id == "msg_014p7gG3wDgGV9EUtLvnow3U" && stream.model == "claude-sonnet-4-5-20250929")
        #expect(stream.isStopped && stream.stopReason == "tool_use" && stream.error == nil)
        #expect(stream.text == "Okay, let's check the weather for San Francisco, CA:")
        #expect(stream.toolCalls == [ToolCall(id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", name: "get_weather",
                                              arguments: #"{"location": "San Francisco, CA", "unit": "fahrenheit"}"#)])
        #expect(stream.blocks.map(\.type) == ["text", "tool_use"] && stream.blocks.allSatisfy(\.isComplete))
    }

    @Test func usageIsStartUpdatedByDelta() throws {
        let stream = try StreamReplay.anthropic([WireFixtures.anthropicSSE(WireFixtures.anthropicToolStream)])
        #expect(stream.usage?.outputTokens == 89 && stream.usage?.inputTokens == 472)
        #expect(stream.usage?.tokenUsage == TokenUsage(
            inputTokens: 472, outputTokens: 89, cacheReadInputTokens: 2048, cacheCreationInputTokens: 100,
            extra: [.init("cache_read_input", 2048), .init("cache_creation_input", 100), .init("cache_ephemeral_5m_input", 100)]))
        // Newer API versions repeat the input side in message_delta; its values win.
        var updated = stream
        updated.add(.messageDelta(stopReason: nil, stopSequence: nil, usage: AnthropicUsage(inputTokens: 500, outputTokens: 90)))
        #expect(updated.usage?.inputTokens == 500 && updated.usage?.outputTokens == 90 && updated.usage?.cacheReadInputTokens == 2048)
    }

    @Test func everyByteSplitGivesTheSameMessage() async throws {
        let bytes = WireFixtures.anthropicSSE(WireFixtures.anthropicToolStream)
        let whole = try StreamReplay.anthropic([bytes])
        for chunks in ByteSplits.everyTwoWaySplit(bytes) {
            await Task.yield()  // CPU-bound: give the pool's other jobs a turn
            let split = try StreamReplay.anthropic(chunks)
            #expect(split.blocks == whole.blocks && split.usage == whole.usage && split.stopReason == whole.stopReason)
        }
    }

    @Test func eventsDecodeToTheirCases() throws {
        func event(_ data: String) throws -> MessagesStreamEvent { try MessagesStreamEvent(data: Array(data.utf8)) }
        #expect(try event(#"{"type":"ping"}"#) == .ping)
        #expect(try event(#"{"type":"message_stop"}"#) == .messageStop)
        #expect(try event(#"{"type":"content_block_stop","index":3}"#) == .contentBlockStop(index: 3))
        #expect(try event(#"{"type":"content_block_delta","index":2,"delta":{"type":"thinking_delta","thinking":"Let me"}}"#)
                == .contentBlockDelta(index: 2, delta: .init(type: "thinking_delta", thinking: "Let me")))
        #expect(try event(#"{"type":"message_delta","delta":{"stop_reason":"stop_sequence","stop_sequence":"END"},"usage":{"output_tokens":7}}"#)
                == .messageDelta(stopReason: "stop_sequence", stopSequence: "END", usage: AnthropicUsage(outputTokens: 7)))
        #expect(try event(#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#)
                == .contentBlockStart(index: 0, block: .init(type: "text", text: "")))
        #expect(try event(#"{"type":"brand_new","x":1}"#) == .unknown(type: "brand_new"))
        for bad in [#"{"type":"content_block_stop"}"#, #"{"type":"message_start"}"#, #"{"index":1}"#, #"{"type":"content_block_delta","index":0,"delta":{}}"#, "[DONE]"] {
            #expect(throws: LLMWireError.self, "\(bad)") { try event(bad) }
        }
    }

    @Test func anErrorEventEndsTheStream() throws {
        let stream = try StreamReplay.anthropic([WireFixtures.anthropicSSE(WireFixtures.anthropicErrorStream)])
        #expect(stream.error == AnthropicErrorBody.Detail(type: "overloaded_error", message: "Overloaded"))
        #expect(!stream.isStopped && stream.usage?.tokenUsage == TokenUsage(inputTokens: 12, outputTokens: 1))
    }
}
