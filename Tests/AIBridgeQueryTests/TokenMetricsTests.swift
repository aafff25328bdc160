@testable import AIBridgeQuery
import Foundation
import ServiceKit
import Testing

/// `aibridge_input_tokens_total` / `aibridge_output_tokens_total` by provider and model add
/// up exactly the token usage the recorder stored.
@Suite struct TokenMetricsTests {
    func tokens(_ bridge: BridgeHarness, _ direction: String, provider: String, model: String) -> Double? {
        bridge.metrics.value("aibridge_\(direction)_tokens_total", labels: [("provider", provider), ("model", model)])
    }

    @Test func recordedTokensAreCountedByProviderAndModel() async throws {
        let bridge = try await BridgeHarness.start()
        for _ in 0..<2 {
            let chat = try await bridge.call(chatPath, json: #"{"model":"gpt-test","messages":[{"role":"user","content":"hi"}]}"#)
            #expect(chat.status == 200, "\(chat.text)")
        }
        let messages = try await bridge.call(messagesPath, json: #"{"model":"claude-test","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}"#)
        #expect(messages.status == 200, "\(messages.text)")
        #expect(await bridge.waitForEnded(3))
        let started = await bridge.recorder.started
        let outcomes = await bridge.recorder.outcomes
        func recorded(_ provider: String) -> (input: Int64, output: Int64) {
            let usages = started.filter { $0.provider == provider }.flatMap { outcomes[$0.id]?.tokenUsages ?? [] }
            return (usages.reduce(0) { $0 + $1.inputTokens }, usages.reduce(0) { $0 + $1.outputTokens })
        }
        let openAI = recorded("openai"), anthropic = recorded("anthropic")
        #expect(openAI.input > 0 && anthropic.output > 0)
        #expect(tokens(bridge, "input", provider: "openai", model: "gpt-test") == Double(openAI.input))
        #expect(tokens(bridge, "output", provider: "openai", model: "gpt-test") == Double(openAI.output))
        #expect(tokens(bridge, "input", provider: "anthropic", model: "claude-test") == Double(anthropic.input))
        #expect(tokens(bridge, "output", provider: "anthropic", model: "claude-test") == Double(anthropic.output))
        #expect(tokens(bridge, "input", provider: "openai", model: "claude-test") == nil)
        await bridge.stop()
    }

    @Test func modelsBeyondTheCapShareOneSeries() {
        let metrics = Metrics()
        let counters = TokenCounters(metrics: metrics)
        for index in 0..<(TokenCounters.maxModels + 3) {
            counters.count(provider: "openai", model: "model-\(index)", inputTokens: 2, outputTokens: 1)
        }
        #expect(metrics.value("aibridge_input_tokens_total", labels: [("provider", "openai"), ("model", "model-0")]) == 2)
        #expect(metrics.value("aibridge_input_tokens_total", labels: [("provider", "openai"), ("model", "other")]) == 6)
        #expect(metrics.value("aibridge_output_tokens_total", labels: [("provider", "openai"), ("model", "other")]) == 3)
    }
}
