@testable import AIBridgeQuery
import Foundation
import HTTPCore
import Testing
import TestSupport

/// What the bridge records for each API, streamed and not, through the local upstream.
@Suite struct BridgeRecordingTests {
    @Test func openAIChatNotStreamed() async throws {
        let bridge = try await BridgeHarness.start()
        let r = try await bridge.call(chatPath, json: #"{"model":"gpt-test","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi there"}]}"#,
                                      headers: ["User-Agent": "codex_cli_rs/0.50", "session_id": "codex-session-1"])
        #expect(r.status == 200, "\(r.text)")
        #expect(jsonObject(r.text)["id"] as? String != nil)
        let (interception, outcome) = try #require(await bridge.recorder.only)
        #expect(interception.initiatorID == "u-alice")
        #expect(interception.provider == "openai")
        #expect(interception.model == "gpt-test")
        #expect(interception.client == "Codex")
        #expect(interception.clientSessionID == "codex-session-1")
        #expect(interception.threadParentID == nil && interception.threadRootID == nil)
        #expect(jsonObject(interception.metadataJSON)["Username"] as? String == "alice")
        #expect(jsonObject(interception.metadataJSON)["request_user_agent"] as? String == "codex_cli_rs/0.50")
        let ended = try #require(outcome)
        let usage = try #require(ended.tokenUsages.first)
        #expect(ended.tokenUsages.count == 1)
        // 21 prompt tokens of which 5 cached: 16 uncached input, the cached ones in metadata.
        #expect(usage.inputTokens == 16 && usage.outputTokens == 9)
        #expect(jsonObject(usage.metadataJSON)["prompt_cached"] as? Int == 5)
        #expect(usage.providerResponseID.hasPrefix("chatcmpl-"))
        #expect(ended.userPrompt?.prompt == "hi there")
        #expect(ended.userPrompt?.providerResponseID == usage.providerResponseID)
        #expect(ended.toolUsages.isEmpty)
        #expect(ended.endedAt >= interception.startedAt)
        await bridge.stop()
    }

    @Test func openAIChatStreamedWithoutUsageAskedGetsItRecordedAndFilteredOut() async throws {
        let bridge = try await BridgeHarness.start()
        let r = try await bridge.call(chatPath, json: #"{"model":"gpt-test","stream":true,"messages":[{"role":"user","content":"stream please"}]}"#)
        #expect(r.status == 200)
        #expect(r.headers["Content-Type"]?.hasPrefix("text/event-stream") == true)
        let events = eventData(r.body)
        #expect(events.last == "[DONE]")
        // The client asked for no usage: it sees neither the usage chunk nor `"usage":null`.
        #expect(!r.text.contains("usage"), "\(r.text)")
        let text = events.dropLast().compactMap { data -> String? in
            let choices = jsonObject(data)["choices"] as? [[String: Any]]
            return (choices?.first?["delta"] as? [String: Any])?["content"] as? String
        }.joined()
        #expect(text == "Hello from the upstream.")
        // The upstream was asked for usage on the client's behalf.
        let sent = try #require(try await bridge.upstream.requests().first)
        #expect((sent.json["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
        let (_, outcome) = try #require(await bridge.recorder.only)
        let usage = try #require(outcome?.tokenUsages.first)
        #expect(usage.inputTokens == 16 && usage.outputTokens == 9)
        #expect(outcome?.userPrompt?.prompt == "stream please")
        await bridge.stop()
    }

    @Test func openAIChatStreamedWithUsageAskedPassesTheUsageChunkOn() async throws {
        let bridge = try await BridgeHarness.start()
        let request = #"{"model":"gpt-test","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"u"}]}"#
        let r = try await bridge.call(chatPath, json: request)
        let events = eventData(r.body)
        let usageChunk = try #require(events.first { jsonObject($0)["usage"] is [String: Any] })
        #expect((jsonObject(usageChunk)["usage"] as? [String: Any])?["completion_tokens"] as? Int == 9)
        // The client's bytes went upstream unchanged.
        #expect(try await bridge.upstream.requests().first?.body == request)
        #expect(await bridge.recorder.only?.1?.tokenUsages.first?.outputTokens == 9)
        await bridge.stop()
    }

    /// A streamed tool call is assembled from its fragments; the follow-up carrying its result
    /// continues the thread (parent and root), and a third call continues it again.
    @Test(arguments: [false, true])
    func openAIToolCallsAndTheirResultsFormAThread(streamed: Bool) async throws {
        let bridge = try await BridgeHarness.start()
        let stream = streamed ? #","stream":true"# : ""
        let tools = #""tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]"#
        let first = try await bridge.call(chatPath, json: #"{"model":"gpt-tool"\#(stream),\#(tools),"messages":[{"role":"user","content":"weather?"}]}"#)
        #expect(first.status == 200)
        let (root, rootOutcome) = try #require(await bridge.recorder.last)
        let call = try #require(rootOutcome?.toolUsages.first)
        #expect(rootOutcome?.toolUsages.count == 1)
        #expect(call.tool == "get_weather")
        #expect(call.input == #"{"city": "Paris"}"#)
        #expect(call.providerToolCallID.hasPrefix("call_"))
        #expect(call.injected == false)
        #expect(first.text.contains(call.providerToolCallID))

        let followUp = #"{"model":"gpt-tool"\#(stream),\#(tools),"messages":[{"role":"user","content":"weather?"},{"role":"assistant","tool_calls":[{"id":"\#(call.providerToolCallID)","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},{"role":"tool","tool_call_id":"\#(call.providerToolCallID)","content":"sunny"}]}"#
        let second = try await bridge.call(chatPath, json: followUp)
        #expect(second.status == 200)
        let (child, childOutcome) = try #require(await bridge.recorder.last)
        #expect(child.threadParentID == root.id)
        #expect(child.threadRootID == root.id)
        // The last message is a tool result, not a user prompt.
        #expect(childOutcome?.userPrompt == nil)
        #expect(childOutcome?.toolUsages.isEmpty == true)
        #expect(childOutcome?.tokenUsages.count == 1)
        await bridge.stop()
    }

    @Test(arguments: [false, true])
    func anthropicMessagesWithToolUseAndResult(streamed: Bool) async throws {
        let bridge = try await BridgeHarness.start()
        let stream = streamed ? #","stream":true"# : ""
        let headers: HTTPHeaders = ["anthropic-version": "2023-06-01", "anthropic-beta": "tools-2024-04-04",
                                    "User-Agent": "claude-cli/2.0.1 (external, cli)", "X-Claude-Code-Session-Id": "cc-session-9"]
        let first = try await bridge.call(messagesPath, json: #"{"model":"claude-tool","max_tokens":100\#(stream),"messages":[{"role":"user","content":[{"type":"text","text":"weather in Paris?"}]}]}"#,
                                          headers: headers)
        #expect(first.status == 200, "\(first.text)")
        if streamed {
            #expect(eventData(first.body).last.map { jsonObject($0)["type"] as? String } == "message_stop")
        }
        let (root, rootOutcome) = try #require(await bridge.recorder.last)
        #expect(root.provider == "anthropic")
        #expect(root.model == "claude-tool")
        #expect(root.client == "Claude Code")
        #expect(root.clientSessionID == "cc-session-9")
        let usage = try #require(rootOutcome?.tokenUsages.first)
        #expect(usage.inputTokens == 17 && usage.outputTokens == 8)
        let counters = jsonObject(usage.metadataJSON)
        #expect(counters["cache_read_input"] as? Int == 3 && counters["cache_creation_input"] as? Int == 2)
        #expect(usage.providerResponseID.hasPrefix("msg_"))
        #expect(rootOutcome?.userPrompt?.prompt == "weather in Paris?")
        let call = try #require(rootOutcome?.toolUsages.first)
        #expect(call.tool == "get_weather" && call.providerToolCallID.hasPrefix("toolu_"))
        #expect(jsonObject(call.input)["city"] as? String == "Paris")

        let followUp = #"{"model":"claude-tool","max_tokens":100\#(stream),"messages":[{"role":"user","content":"weather in Paris?"},{"role":"assistant","content":[{"type":"tool_use","id":"\#(call.providerToolCallID)","name":"get_weather","input":{"city":"Paris"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"\#(call.providerToolCallID)","content":"sunny"}]}]}"#
        let second = try await bridge.call(messagesPath, json: followUp, headers: headers)
        #expect(second.status == 200)
        let (child, childOutcome) = try #require(await bridge.recorder.last)
        #expect(child.threadParentID == root.id && child.threadRootID == root.id)
        #expect(childOutcome?.toolUsages.isEmpty == true)
        // The upstream got Anthropic's auth and the client's version and beta headers.
        for sent in try await bridge.upstream.requests() {
            #expect(sent.path == "/v1/messages")
            #expect(sent.values("x-api-key") == [anthropicKey])
            #expect(sent.header("authorization") == nil)
            #expect(sent.values("anthropic-version") == ["2023-06-01"])
            #expect(sent.values("anthropic-beta") == ["tools-2024-04-04"])
        }
        await bridge.stop()
    }

    @Test(arguments: [false, true])
    func openAICompletionsFillInTheMiddle(streamed: Bool) async throws {
        let bridge = try await BridgeHarness.start()
        let stream = streamed ? #","stream":true"# : ""
        let r = try await bridge.call(completionsPath, json: #"{"model":"coder-test","prompt":"def calc","suffix":"\n","max_tokens":8\#(stream)}"#,
                                      headers: ["User-Agent": "predictor/1", "X-AIBridge-Session-Id": "predictor-616c696365"])
        #expect(r.status == 200)
        if streamed {
            #expect(eventData(r.body).last == "[DONE]")
            #expect(!r.text.contains("usage"))
        }
        let (interception, outcome) = try #require(await bridge.recorder.only)
        #expect(interception.provider == "openai" && interception.model == "coder-test")
        #expect(interception.client == "predictor")
        #expect(interception.clientSessionID == "predictor-616c696365")
        #expect(outcome?.userPrompt?.prompt == "def calc")
        let usage = try #require(outcome?.tokenUsages.first)
        #expect(usage.inputTokens == 12 && usage.outputTokens == 4)
        #expect(usage.providerResponseID.hasPrefix("cmpl-"))
        await bridge.stop()
    }

    /// An upstream error reaches the client with its status and body; the interception is
    /// ended, with the prompt and without usage.
    @Test(arguments: [chatPath, messagesPath])
    func upstreamErrorsPassThroughAndEndTheInterception(path: String) async throws {
        let bridge = try await BridgeHarness.start()
        let r = try await bridge.call(path, json: #"{"model":"error-model","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"x"}]}"#)
        #expect(r.status == 429)
        #expect(r.text.contains("slow down"))
        #expect(r.headers["Content-Type"] == "application/json")
        let (interception, outcome) = try #require(await bridge.recorder.only)
        #expect(interception.model == "error-model")
        let ended = try #require(outcome)
        #expect(ended.tokenUsages.isEmpty && ended.toolUsages.isEmpty)
        #expect(ended.userPrompt?.prompt == "x")
        await bridge.stop()
    }
}
