/// Payloads written by hand from the APIs' documented shapes (OpenAI chat and legacy
/// completions, Anthropic messages), streamed and not.
enum WireFixtures {
    /// A chat stream calling two tools in parallel, the arguments split mid-token, with the
    /// usage chunk of `stream_options.include_usage` and `[DONE]`.
    static let chatToolStream = [
        #"{"id":"chatcmpl-9xTool","object":"chat.completion.chunk","created":1727000000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_5f20","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_weather1","type":"function","function":{"name":"get_weather","arguments":""}}],"refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}"#,
        #"{"id":"chatcmpl-9xTool","object":"chat.completion.chunk","created":1727000000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_5f20","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"loc"}}]},"logprobs":null,"finish_reason":null}],"usage":null}"#,
        #"{"id":"chatcmpl-9xTool","object":"chat.completion.chunk","created":1727000000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_5f20","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ation\": \"Par"}}]},"logprobs":null,"finish_reason":null}],"usage":null}"#,
        #"{"id":"chatcmpl-9xTool","object":"chat.completion.chunk","created":1727000000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_5f20","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_time2","type":"function","function":{"name":"get_time","arguments":""}}]},"logprobs":null,"finish_reason":null}],"usage":null}"#,
        #"{"id":"chatcmpl-9xTool","object":"chat.completion.chunk","created":1727000000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_5f20","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"is, FR\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}"#,
        #"{"id":"chatcmpl-9xTool","object":"chat.completion.chunk","created":1727000000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_5f20","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\"tz\":"}}]},"logprobs":null,"finish_reason":null}],"usage":null}"#,
        #"{"id":"chatcmpl-9xTool","object":"chat.completion.chunk","created":1727000000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_5f20","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"\"Europe/Paris\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}"#,
        #"{"id":"chatcmpl-9xTool","object":"chat.completion.chunk","created":1727000000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_5f20","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}],"usage":null}"#,
        #"{"id":"chatcmpl-9xTool","object":"chat.completion.chunk","created":1727000000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_5f20","choices":[],"usage":{"prompt_tokens":82,"completion_tokens":41,"total_tokens":123,"prompt_tokens_details":{"cached_tokens":64,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}"#,
        "[DONE]",
    ]

    /// A chat stream of text only, without a usage chunk (the client did not ask for one).
    static let chatTextStream = [
        #"{"id":"chatcmpl-9xText","object":"chat.completion.chunk","created":1727000001,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#,
        #"{"id":"chatcmpl-9xText","object":"chat.completion.chunk","created":1727000001,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}]}"#,
        #"{"id":"chatcmpl-9xText","object":"chat.completion.chunk","created":1727000001,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":" — wörld\n"},"finish_reason":null}]}"#,
        #"{"id":"chatcmpl-9xText","object":"chat.completion.chunk","created":1727000001,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
        "[DONE]",
    ]

    /// A fill-in-the-middle stream of `/v1/completions` with the usage event.
    static let completionStream = [
        #"{"id":"cmpl-7fim","object":"text_completion","created":1727000002,"model":"qwen2.5-coder-7b","choices":[{"text":"ulate","index":0,"logprobs":null,"finish_reason":null}]}"#,
        #"{"id":"cmpl-7fim","object":"text_completion","created":1727000002,"model":"qwen2.5-coder-7b","choices":[{"text":"_total(items)","index":0,"logprobs":null,"finish_reason":"stop"}]}"#,
        #"{"id":"cmpl-7fim","object":"text_completion","created":1727000002,"model":"qwen2.5-coder-7b","choices":[],"usage":{"prompt_tokens":25,"completion_tokens":4,"total_tokens":29}}"#,
        "[DONE]",
    ]

    /// Anthropic's documented streamed tool use: a text block, then a `tool_use` block whose
    /// input arrives as `input_json_delta` pieces, a ping, an event type from the future,
    /// and `message_delta` with the cumulative output tokens.
    static let anthropicToolStream: [(event: String, data: String)] = [
        ("message_start", #"{"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":2,"cache_creation_input_tokens":100,"cache_read_input_tokens":2048,"cache_creation":{"ephemeral_5m_input_tokens":100,"ephemeral_1h_input_tokens":0}},"content":[],"stop_reason":null}}"#),
        ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
        ("ping", #"{"type": "ping"}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Okay, let's check the weather"}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" for San Francisco, CA:"}}"#),
        ("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
        ("content_block_start", #"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"location\":"}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \"San"}}"#),
        ("future_event", #"{"type":"future_event","detail":{"anything":true}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" Francisc"}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"o, CA\", \"unit\": \"fah"}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"renheit\"}"}}"#),
        ("content_block_stop", #"{"type":"content_block_stop","index":1}"#),
        ("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}"#),
        ("message_stop", #"{"type":"message_stop"}"#),
    ]

    /// An Anthropic stream that fails after it started.
    static let anthropicErrorStream: [(event: String, data: String)] = [
        ("message_start", #"{"type":"message_start","message":{"id":"msg_02","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}"#),
        ("error", #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#),
    ]

    /// The bytes of an OpenAI stream: `data:` lines, as a server writes them.
    static func openAISSE(_ datas: [String]) -> [UInt8] {
        Array(datas.map { "data: \($0)\n\n" }.joined().utf8)
    }

    /// The bytes of an Anthropic stream: `event:` and `data:` lines, CRLF line ends.
    static func anthropicSSE(_ events: [(event: String, data: String)]) -> [UInt8] {
        Array(events.map { "event: \($0.event)\r\ndata: \($0.data)\r\n\r\n" }.joined().utf8)
    }

    /// A non-streamed chat completion with a tool call and every usage detail.
    static let chatResponse = #"""
    {
      "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
      "object": "chat.completion",
      "created": 1741570283,
      "model": "gpt-4o-2024-08-06",
      "choices": [
        {
          "index": 0,
          "message": {
            "role": "assistant",
            "content": null,
            "tool_calls": [
              {"id": "call_abc123", "type": "function", "function": {"name": "get_current_weather", "arguments": "{\n\"location\": \"Boston, MA\"\n}"}}
            ],
            "refusal": null,
            "annotations": []
          },
          "logprobs": null,
          "finish_reason": "tool_calls"
        }
      ],
      "usage": {
        "prompt_tokens": 1117,
        "completion_tokens": 46,
        "total_tokens": 1163,
        "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": 12, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
      },
      "service_tier": "default",
      "system_fingerprint": "fp_fc9f1d7035"
    }
    """#

    /// A non-streamed fill-in-the-middle completion.
    static let completionResponse = #"""
    {"id":"cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7","object":"text_completion","created":1589478378,"model":"gpt-3.5-turbo-instruct",
     "system_fingerprint":"fp_44709d6fcb",
     "choices":[{"text":"ulate_total(items)","index":0,"logprobs":null,"finish_reason":"stop"},
                {"text":"ulator = Calculator()","index":1,"logprobs":null,"finish_reason":"length"}],
     "usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}
    """#
}
