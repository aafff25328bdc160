/// A legacy completion request (`POST /v1/completions`). With `suffix` it asks for the text
/// between `prompt` and `suffix` (fill in the middle), as code models served by llama.cpp,
/// vLLM or Ollama answer it. Fields left nil are not sent.
public struct CompletionRequest: Codable, Sendable, Equatable {
    /// The model.
    public var model: String
    /// The text before the insertion point (or the whole prompt).
    public var prompt: CompletionPrompt
    /// The text after the insertion point (fill in the middle).
    public var suffix: String?
    /// Most tokens to generate.
    public var maxTokens: Int?
    /// Sampling temperature.
    public var temperature: Double?
    /// Nucleus sampling.
    public var topP: Double?
    /// Completions per prompt.
    public var n: Int?
    /// Answer as server-sent events.
    public var stream: Bool?
    /// Streaming options (`include_usage`).
    public var streamOptions: StreamOptions?
    /// Where to stop.
    public var stop: StopSequences?
    /// Echo the prompt back.
    public var echo: Bool?
    /// Log-probabilities of the most likely tokens.
    public var logprobs: Int?
    /// Presence penalty.
    public var presencePenalty: Double?
    /// Frequency penalty.
    public var frequencyPenalty: Double?
    /// Sampling seed.
    public var seed: Int?
    /// An end-user id.
    public var user: String?

    /// A request for `model` continuing `prompt` (up to `suffix` when given).
    public init(model: String, prompt: String, suffix: String? = nil, maxTokens: Int? = nil, temperature: Double? = nil,
                n: Int? = nil, stop: StopSequences? = nil) {
        self.model = model
        self.prompt = .text(prompt)
        self.suffix = suffix
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.n = n
        self.stop = stop
    }

    enum CodingKeys: String, CodingKey {
        case model, prompt, suffix
        case maxTokens = "max_tokens"
        case temperature
        case topP = "top_p"
        case n, stream
        case streamOptions = "stream_options"
        case stop, echo, logprobs
        case presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
        case seed, user
    }
}
