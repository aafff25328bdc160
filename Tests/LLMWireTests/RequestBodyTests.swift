import JSON
import Testing
@testable import LLMWire

/// The raw-JSON operations the bridge runs on a client's request.
@Suite struct RequestBodyTests {
    func body(_ api: LLMAPI, _ text: String) throws -> LLMRequestBody { try LLMRequestBody(api: api, bytes: Array(text.utf8)) }

    /// A streamed chat request with fields this module does not model, in an unusual order.
    static let chatRequest = #"""
    {"stream": true, "x_vendor": {"trace": [1, 2.50, "é\u00e9"], "flag": null},
     "model": "gpt-4o", "messages": [
       {"role": "system", "content": "You are terse."},
       {"role": "user", "content": [{"type": "text", "text": "look at this"}, {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}, {"type": "text", "text": "What is in the image?"}]}
     ], "temperature": 0.2, "seed": 12345678901234}
    """#

    @Test func injectingUsageSplicesTheMemberAndKeepsEveryOtherByte() throws {
        let request = try body(.openAIChat, Self.chatRequest)
        #expect(request.isStreaming && !request.clientAskedForUsage && request.model == "gpt-4o")
        let (bytes, injected) = request.forwardingBytes()
        #expect(injected)
        let text = String(decoding: bytes, as: UTF8.self)
        let original = Self.chatRequest
        let close = try #require(original.lastIndex(of: "}"))
        #expect(text == original[..<close] + #","stream_options":{"include_usage":true}"# + original[close...])
        let rewritten = try #require(try JSONParser().parse(bytes).object)
        #expect(rewritten.keys == ["stream", "x_vendor", "model", "messages", "temperature", "seed", "stream_options"])
        #expect(rewritten["x_vendor"] == request.object["x_vendor"])
        #expect(try LLMRequestBody(api: .openAIChat, bytes: bytes).clientAskedForUsage)
    }

    @Test func existingStreamOptionsAreRewrittenInOrder() throws {
        let request = try body(.openAICompletions, #"{"model":"m","stream_options":{"include_usage":false,"vendor_opt":1},"prompt":"def f(","suffix":"):","stream":true,"z":1.5}"#)
        let (bytes, injected) = request.forwardingBytes()
        #expect(injected)
        #expect(String(decoding: bytes, as: UTF8.self)
                == #"{"model":"m","stream_options":{"include_usage":true,"vendor_opt":1},"prompt":"def f(","suffix":"):","stream":true,"z":1.5}"#)
        let notObject = try body(.openAIChat, #"{"model":"m","stream":true,"stream_options":null}"#).forwardingBytes()
        #expect(notObject.injectedUsage)
        #expect(String(decoding: notObject.bytes, as: UTF8.self) == #"{"model":"m","stream":true,"stream_options":{"include_usage":true}}"#)
    }

    @Test func nothingChangesWhenNoUsageMustBeAskedFor() throws {
        let cases: [(LLMAPI, String)] = [
            (.openAIChat, #"{"model":"m","messages":[]}"#),
            (.openAIChat, #"{"model":"m","stream":false,"messages":[]}"#),
            (.openAIChat, #"{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[]}"#),
            (.anthropicMessages, #"{"model":"claude","stream":true,"max_tokens":5,"messages":[]}"#),
        ]
        for (api, text) in cases {
            let (bytes, injected) = try body(api, text).forwardingBytes()
            #expect(!injected && bytes == Array(text.utf8), "\(text)")
        }
        // An empty object gets the member without a comma.
        let empty = try body(.openAIChat, "{ \"stream\" : true }\n").forwardingBytes()
        #expect(String(decoding: empty.bytes, as: UTF8.self) == "{ \"stream\" : true ,\"stream_options\":{\"include_usage\":true}}\n")
    }

    @Test func bodiesThatAreNotOneObjectAreRefused() {
        for bad in ["[1]", "", "{\"a\":1,\"a\":2}", "{\"a\":1} x", "{'a':1}"] {
            #expect(throws: LLMWireError.self, "\(bad)") { try body(.openAIChat, bad) }
        }
    }

    @Test func userPromptIsTheLastMessageWhenItIsTheUsers() throws {
        #expect(try body(.openAIChat, Self.chatRequest).userPrompt == "What is in the image?")
        #expect(try body(.openAIChat, #"{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}]}"#).userPrompt == nil)
        #expect(try body(.openAIChat, #"{"messages":[{"role":"user","content":"first"},{"role":"user","content":"second"}]}"#).userPrompt == "second")
        #expect(try body(.openAIChat, #"{"messages":[]}"#).userPrompt == nil)
        #expect(try body(.anthropicMessages, #"{"system":"s","messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]}"#).userPrompt == "b")
        #expect(try body(.anthropicMessages, #"{"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"42"}]}]}"#).userPrompt == nil)
        #expect(try body(.openAICompletions, #"{"prompt":"def add(a, b):\n    return ","suffix":"\n"}"#).userPrompt == "def add(a, b):\n    return ")
        #expect(try body(.openAICompletions, #"{"prompt":["one","two"]}"#).userPrompt == "two")
        #expect(try body(.openAICompletions, #"{"prompt":[1,2,3]}"#).userPrompt == nil)
    }

    @Test func toolResultsOfTheLastMessageNameTheThreadParent() throws {
        let chat = try body(.openAIChat, #"""
        {"model":"gpt-4o","messages":[
          {"role":"user","content":"Weather and time in Paris?"},
          {"role":"assistant","content":null,"tool_calls":[{"id":"call_weather1","type":"function","function":{"name":"get_weather","arguments":"{}"}},{"id":"call_time2","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
          {"role":"tool","tool_call_id":"call_weather1","content":"18C"},
          {"role":"tool","tool_call_id":"call_time2","content":"14:05"}]}
        """#)
        #expect(chat.toolResultCallIDs == ["call_time2"] && chat.correlatingToolCallID == "call_time2" && chat.userPrompt == nil)
        let anthropic = try body(.anthropicMessages, #"""
        {"model":"claude-sonnet-4-5","max_tokens":1024,"messages":[
          {"role":"user","content":"Weather in SF?"},
          {"role":"assistant","content":[{"type":"text","text":"Checking."},{"type":"tool_use","id":"toolu_01A","name":"get_weather","input":{"location":"San Francisco, CA"}},{"type":"tool_use","id":"toolu_01B","name":"get_time","input":{}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A","content":"15 degrees"},{"type":"tool_result","tool_use_id":"toolu_01B","content":[{"type":"text","text":"10:00"}],"is_error":false},{"type":"text","text":"Thanks"}]}]}
        """#)
        #expect(anthropic.toolResultCallIDs == ["toolu_01A", "toolu_01B"] && anthropic.correlatingToolCallID == "toolu_01B")
        #expect(anthropic.userPrompt == "Thanks")
        #expect(try body(.openAIChat, #"{"messages":[{"role":"user","content":"x"}]}"#).correlatingToolCallID == nil)
    }

    @Test func typedRequestsDecodeTheDocumentedShapes() throws {
        let chat = try StrictJSONDecoder().decode(ChatCompletionRequest.self, from: Array(Self.chatRequest.utf8))
        #expect(chat.messages.count == 2 && chat.stream == true && chat.seed == 12345678901234)
        #expect(chat.messages[1].content?.lastText == "What is in the image?")
        guard case .parts(let parts) = chat.messages[1].content else { Issue.record("not parts"); return }
        #expect(parts.map(\.type) == ["text", "image_url", "text"])
        #expect(parts[1].imageURL?.object?["url"]?.string == "data:image/png;base64,AAAA")

        let anthropic = try StrictJSONDecoder().decode(MessagesRequest.self, from: Array(#"""
        {"model":"claude-sonnet-4-5","max_tokens":1024,"system":[{"type":"text","text":"Be brief."}],"stream":true,
         "tools":[{"name":"get_weather","description":"Get the weather","input_schema":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}],
         "tool_choice":{"type":"auto"},
         "messages":[{"role":"user","content":"Weather in SF?"},
                     {"role":"assistant","content":[{"type":"tool_use","id":"toolu_01A","name":"get_weather","input":{"location":"SF"}}]},
                     {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A","content":"15 degrees","is_error":false}]}]}
        """#.utf8))
        #expect(anthropic.system?.lastText == "Be brief." && anthropic.tools?.first?.inputSchema.object?["required"]?.strings == ["location"])
        guard case .blocks(let result) = anthropic.messages[2].content else { Issue.record("not blocks"); return }
        #expect(result == [.toolResult(id: "toolu_01A", content: "15 degrees", isError: false)])
        guard case .blocks(let use) = anthropic.messages[1].content else { Issue.record("not blocks"); return }
        #expect(use == [.toolUse(id: "toolu_01A", name: "get_weather", input: .object(["location": .string("SF")]))])
    }

    @Test func typedRequestsEncodeOnlyWhatIsSet() throws {
        let fim = CompletionRequest(model: "qwen2.5-coder", prompt: "def f(", suffix: "):\n", maxTokens: 16, temperature: 0, n: 2, stop: ["\n"])
        #expect(String(decoding: try JSONWriter.encode(fim), as: UTF8.self)
                == #"{"model":"qwen2.5-coder","prompt":"def f(","suffix":"):\n","max_tokens":16,"temperature":0,"n":2,"stop":["\n"]}"#)
        var chat = ChatCompletionRequest(model: "gpt-4o", messages: [.system("s"), .user("u"), .tool(callID: "call_1", content: "r")],
                                         tools: [ChatTool(function: .init(name: "f", parameters: .object(["type": .string("object")])))])
        chat.streamOptions = StreamOptions(includeUsage: true)
        #expect(String(decoding: try JSONWriter.encode(chat), as: UTF8.self)
                == #"{"model":"gpt-4o","messages":[{"role":"system","content":"s"},{"role":"user","content":"u"},{"role":"tool","content":"r","tool_call_id":"call_1"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"stream_options":{"include_usage":true}}"#)
        let decoded = try StrictJSONDecoder().decode(ChatCompletionRequest.self, from: try JSONWriter.encode(chat))
        #expect(decoded == chat)
        let messages = MessagesRequest(model: "claude", maxTokens: 10, messages: [.user("hi")], system: .text("sys"))
        #expect(try StrictJSONDecoder().decode(MessagesRequest.self, from: try JSONWriter.encode(messages)) == messages)
    }
}
