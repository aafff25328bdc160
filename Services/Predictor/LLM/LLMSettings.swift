/// Settings of the OpenAI-compatible completions upstream.
///
/// In production `baseURL` points at aibridge-query's bridge,
/// `http://<aibridge>/api/v2/aibridge/openai/v1`, which forwards to the configured upstream
/// (llama.cpp, vLLM, Ollama, a hosted API); any OpenAI-compatible `/completions` works.
public struct LLMSettings: Sendable {
    /// Base URL; `{baseURL}/completions` is called.
    public var baseURL: String
    /// Sent as `Authorization: Bearer ...` when not empty.
    public var apiKey: String
    /// The `model` field of the request.
    public var model: String
    /// Latency budget for the whole call.
    public var timeout: Duration
    /// `max_tokens`.
    public var maxTokens = 48
    /// Characters of context sent left of the cursor.
    public var maxPrefixChars = 6000
    /// Characters of context sent right of the cursor.
    public var maxSuffixChars = 2000
    /// Set when `baseURL` is aibridge-query's bridge: the internal token sent with each call,
    /// with the requesting user's identity headers, so the bridge records the call under that
    /// user (`apiKey` is then not sent: the bridge uses its own upstream key).
    public var bridgeInternalToken: String?

    /// Settings for `baseURL` (a trailing `/` is dropped); `bridgeInternalToken` when it is the bridge.
    public init(baseURL: String, apiKey: String = "", model: String = "", timeout: Duration = .milliseconds(300),
                bridgeInternalToken: String? = nil) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.model = model
        self.timeout = timeout
        self.bridgeInternalToken = bridgeInternalToken
    }

    /// The path of the bridge's OpenAI API under aibridge-query's address.
    public static let bridgeOpenAIPath = "/api/v2/aibridge/openai/v1"
}
