/// Token counts of one upstream response, the same shape for every provider.
///
/// `inputTokens` excludes tokens read from the prompt cache (Anthropic reports them apart;
/// OpenAI's `prompt_tokens` includes `cached_tokens`, which are subtracted), so input plus
/// cache reads is the whole prompt. Further counters (cache writes, reasoning, audio,
/// predictions) are in `extra` under coder's AI Bridge names, for the record's metadata.
public struct TokenUsage: Sendable, Equatable {
    /// Prompt tokens not served from the cache.
    public var inputTokens: Int
    /// Generated tokens.
    public var outputTokens: Int
    /// Prompt tokens served from the cache (OpenAI `cached_tokens`, Anthropic `cache_read_input_tokens`).
    public var cacheReadInputTokens: Int
    /// Prompt tokens written to the cache (Anthropic `cache_creation_input_tokens`; 0 for OpenAI).
    public var cacheCreationInputTokens: Int
    /// Other counters by name, in a stable order (`prompt_cached`, `completion_reasoning`,
    /// `cache_read_input`, `cache_creation_input`, …); zero counters are left out.
    public var extra: [Counter]

    /// One named counter.
    public struct Counter: Sendable, Equatable {
        /// The counter's name.
        public var name: String
        /// Its value.
        public var value: Int

        /// A counter.
        public init(_ name: String, _ value: Int) {
            self.name = name
            self.value = value
        }
    }

    /// A usage record.
    public init(inputTokens: Int, outputTokens: Int, cacheReadInputTokens: Int = 0, cacheCreationInputTokens: Int = 0,
                extra: [Counter] = []) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheReadInputTokens = cacheReadInputTokens
        self.cacheCreationInputTokens = cacheCreationInputTokens
        self.extra = extra
    }

    /// `extra` without the zero counters, in the given order.
    static func counters(_ pairs: [(String, Int?)]) -> [Counter] {
        pairs.compactMap { name, value in
            guard let value, value != 0 else { return nil }
            return Counter(name, value)
        }
    }
}
