/// A legacy completion (`text_completion`): the answer of `/v1/completions`, and the shape
/// of each event when it streams (then `usage` only in the last, when asked for).
public struct CompletionResponse: Codable, Sendable, Equatable {
    /// The completion's id (`cmpl-…`).
    public var id: String?
    /// `text_completion`.
    public var object: String?
    /// Unix seconds.
    public var created: Int?
    /// The model that answered.
    public var model: String?
    /// The backend configuration fingerprint.
    public var systemFingerprint: String?
    /// One per prompt × `n` (in a stream: the choices this event advances).
    public var choices: [Choice]
    /// Token usage.
    public var usage: OpenAIUsage?

    /// One generated text.
    public struct Choice: Codable, Sendable, Equatable {
        /// The text (in a stream, the next piece).
        public var text: String
        /// The choice's index.
        public var index: Int
        /// `stop` or `length`, at the end.
        public var finishReason: String?

        /// A choice.
        public init(text: String, index: Int, finishReason: String? = nil) {
            self.text = text
            self.index = index
            self.finishReason = finishReason
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            text = try container.decodeIfPresent(String.self, forKey: .text) ?? ""
            index = try container.decodeIfPresent(Int.self, forKey: .index) ?? 0
            finishReason = try container.decodeIfPresent(String.self, forKey: .finishReason)
        }

        enum CodingKeys: String, CodingKey {
            case text, index
            case finishReason = "finish_reason"
        }
    }

    /// A completion.
    public init(id: String?, model: String?, choices: [Choice], usage: OpenAIUsage? = nil) {
        self.id = id
        object = "text_completion"
        self.model = model
        self.choices = choices
        self.usage = usage
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        object = try container.decodeIfPresent(String.self, forKey: .object)
        created = try container.decodeIfPresent(Int.self, forKey: .created)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        systemFingerprint = try container.decodeIfPresent(String.self, forKey: .systemFingerprint)
        choices = try container.decodeIfPresent([Choice].self, forKey: .choices) ?? []
        usage = try container.decodeIfPresent(OpenAIUsage.self, forKey: .usage)
    }

    enum CodingKeys: String, CodingKey {
        case id, object, created, model
        case systemFingerprint = "system_fingerprint"
        case choices, usage
    }
}
