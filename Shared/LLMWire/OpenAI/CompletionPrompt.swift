/// The `prompt` of a legacy completion: one text, or a batch of texts (one completion each).
/// (Token-id prompts are not modelled; the raw-JSON operations read any prompt.)
public enum CompletionPrompt: Codable, Sendable, Equatable {
    /// One prompt.
    case text(String)
    /// Several prompts.
    case batch([String])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) {
            self = .text(one)
        } else {
            self = .batch(try container.decode([String].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .batch(let texts): try container.encode(texts)
        }
    }
}
