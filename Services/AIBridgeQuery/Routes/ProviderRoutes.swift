import HTTPCore
import LLMWire
import ServiceKit

/// The bridge's routes under `/api/v2/aibridge/`: the recorded calls, the unrecorded model
/// lists, and nothing else under a provider's path (the router's 404, in coder's envelope).
public struct ProviderRoutes: Sendable {
    /// The prefix of every provider path.
    public static let prefix = "/api/v2/aibridge"
    /// The bridge behind the routes.
    public let bridge: LLMBridge

    /// Routes onto `bridge`.
    public init(bridge: LLMBridge) { self.bridge = bridge }

    /// Registers every route on `router`.
    public func register(on router: Router) {
        let bridge = self.bridge
        let openAI = Self.prefix + "/openai/v1", anthropic = Self.prefix + "/anthropic/v1"
        router.post(openAI + "/chat/completions") { try await bridge.record($0, api: .openAIChat, rest: "chat/completions") }
        router.post(openAI + "/completions") { try await bridge.record($0, api: .openAICompletions, rest: "completions") }
        router.post(anthropic + "/messages") { try await bridge.record($0, api: .anthropicMessages, rest: "messages") }
        // Passed through unrecorded: the model lists (and one model), Anthropic's token count.
        router.get(openAI + "/models") { try await bridge.passThrough($0, provider: .openai, rest: "models") }
        router.get(openAI + "/models/**") { request in
            try await bridge.passThrough(request, provider: .openai, rest: "models/" + (try Self.modelPath(request)))
        }
        router.get(anthropic + "/models") { try await bridge.passThrough($0, provider: .anthropic, rest: "models") }
        router.get(anthropic + "/models/**") { request in
            try await bridge.passThrough(request, provider: .anthropic, rest: "models/" + (try Self.modelPath(request)))
        }
        router.post(anthropic + "/messages/count_tokens") {
            try await bridge.passThrough($0, provider: .anthropic, rest: "messages/count_tokens")
        }
    }

    /// What follows `/models/`: a model id (which may hold `/`), never a way to another
    /// upstream path (`.` or `..` segments, percent-escapes) — those are 404.
    static func modelPath(_ request: Request) throws -> String {
        let rest = try request.parameter("**")
        let segments = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard !rest.isEmpty, !rest.contains("%"), !segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw ServiceError.notFound("no route for \(request.method) \(request.path)")
        }
        return rest
    }
}
