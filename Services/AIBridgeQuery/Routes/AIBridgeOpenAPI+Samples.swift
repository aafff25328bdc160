import Contracts
import JSON

extension AIBridgeOpenAPI {
    /// Contract values with every optional set (`full`) or absent, one element per list.
    enum Samples {
        static let time = AIBridgeQueryAPI.Timestamp(microseconds: 1_767_225_600_000_000)
        static let id = "497f6eca-6276-4993-bfeb-53cbbbba6f08"
        static let metadata = JSONValue.object(JSONObject())

        static func user(full: Bool) -> AIBridgeQueryAPI.MinimalUser {
            AIBridgeQueryAPI.MinimalUser(id: id, username: "alice", name: full ? "Alice" : nil, avatarURL: full ? "http://example.com" : nil)
        }

        static func interceptions(full: Bool) -> AIBridgeQueryAPI.ListInterceptionsResponse {
            let interception = AIBridgeQueryAPI.Interception(
                id: id, apiKeyID: full ? "key" : nil, initiator: user(full: full), provider: "openai", model: "gpt-4o",
                client: full ? "Codex" : nil, metadata: metadata, startedAt: time, endedAt: full ? time : nil,
                tokenUsages: [AIBridgeQueryAPI.TokenUsage(id: id, interceptionID: id, providerResponseID: "r", inputTokens: 1,
                                                          outputTokens: 1, metadata: metadata, createdAt: time)],
                userPrompts: [AIBridgeQueryAPI.UserPrompt(id: id, interceptionID: id, providerResponseID: "r", prompt: "p",
                                                          metadata: metadata, createdAt: time)],
                toolUsages: [AIBridgeQueryAPI.ToolUsage(id: id, interceptionID: id, providerResponseID: "r", serverURL: "", tool: "t",
                                                        input: "{}", injected: false, invocationError: "", metadata: metadata,
                                                        createdAt: time)])
            return AIBridgeQueryAPI.ListInterceptionsResponse(count: 1, results: [interception])
        }

        static func sessions(full: Bool) -> AIBridgeQueryAPI.ListSessionsResponse {
            let session = AIBridgeQueryAPI.Session(
                id: "s", initiator: user(full: full), providers: ["openai"], models: ["gpt-4o"], client: full ? "Codex" : nil,
                metadata: metadata, startedAt: time, endedAt: full ? time : nil, threads: 1,
                tokenUsageSummary: AIBridgeQueryAPI.TokenUsageSummary(inputTokens: 1, outputTokens: 1), lastPrompt: full ? "p" : nil)
            return AIBridgeQueryAPI.ListSessionsResponse(count: 1, sessions: [session])
        }
    }
}
