import Contracts
import HTTPCore
import JSON
import LLMWire

/// aibridge-query: agents calling LLMs through the recording bridge, and people looking at
/// what was recorded. Each connection (a client session of its own, `X-AIBridge-Session-Id`)
/// makes two OpenAI chat calls, one streamed chat call and one Anthropic messages call, then
/// lists its interceptions, its session and the model names. Needs the gateway's aibridge
/// to have a local upstream (`deploy/checks/llm_upstream.py`; `deploy/loadtest/run` says how).
public struct AIBridgeScenario: Scenario {
    /// The encoded calls.
    public typealias Fixture = AIBridgeFixture

    public let name = "aibridge-query"
    public let mix = "per cycle: 2 × OpenAI chat, 1 × OpenAI chat streamed, 1 × Anthropic messages (each recorded), list interceptions, sessions, models"
    public let defaultConnections = 16

    /// A scenario.
    public init() {}

    public func prepare(_ setup: Worker, options: LoadOptions) async throws -> AIBridgeFixture {
        let model = "lt-\(setup.runID)-gpt"
        let question = ChatMessage(role: "user", content: .text("Summarise the load test in one sentence."))
        let system = ChatMessage(role: "system", content: .text("You are terse."))
        let chat = try JSONWriter.encode(ChatCompletionRequest(model: model, messages: [system, question], maxTokens: 64))
        let streamed = try JSONWriter.encode(ChatCompletionRequest(model: model, messages: [system, question], stream: true, maxTokens: 64))
        let messages = try JSONWriter.encode(MessagesRequest(model: "lt-\(setup.runID)-claude", maxTokens: 64,
                                                             messages: [AnthropicMessage(role: "user", content: .text("Name three prime numbers."))]))
        // One call before the run: a bridge without a working upstream fails here, not 30 s later.
        guard let probe = await setup.send("chat", .POST, "/api/v2/aibridge/openai/v1/chat/completions", body: chat,
                                           headers: ["Content-Type": "application/json"]) else {
            throw LoadTestError.setup("the bridge did not answer")
        }
        guard probe.status == 200 else {
            throw LoadTestError.setup("a chat call through the bridge answered \(probe.status) (is its upstream a local one? see deploy/loadtest/run --help): \(probe.text)")
        }
        return AIBridgeFixture(model: model, chat: chat, streamedChat: streamed, messages: messages)
    }

    public func run(_ worker: Worker, _ fixture: AIBridgeFixture) async {
        let session = "lt-\(worker.runID)-session-\(worker.index)"
        worker.setHeader("X-AIBridge-Session-Id", session)
        let json: HTTPHeaders = ["Content-Type": "application/json"]
        let interceptions = "/api/v2/aibridge/interceptions?q=\(QueryText.encode("model:\(fixture.model)"))&limit=20"
        let sessions = "/api/v2/aibridge/sessions?q=\(QueryText.encode("session_id:\(session)"))&limit=20"
        let models = "/api/v2/aibridge/models?q=\(QueryText.encode("lt-"))&limit=20"
        while worker.isRunning {
            await worker.send("openai chat", .POST, "/api/v2/aibridge/openai/v1/chat/completions", body: fixture.chat, headers: json)
            await worker.send("openai chat", .POST, "/api/v2/aibridge/openai/v1/chat/completions", body: fixture.chat, headers: json)
            await worker.send("openai chat streamed", .POST, "/api/v2/aibridge/openai/v1/chat/completions", body: fixture.streamedChat, headers: json)
            await worker.send("anthropic messages", .POST, "/api/v2/aibridge/anthropic/v1/messages", body: fixture.messages, headers: json)
            await worker.send("list interceptions", .GET, interceptions)
            await worker.send("list sessions", .GET, sessions)
            await worker.send("list models", .GET, models)
        }
    }
}
