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

    /// Settings for `baseURL` (a trailing `/` is dropped).
    public init(baseURL: String, apiKey: String = "", model: String = "", timeout: Duration = .milliseconds(300)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.model = model
        self.timeout = timeout
    }
}
