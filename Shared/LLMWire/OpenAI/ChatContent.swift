import JSON

/// A chat message's `content`: a string, or a list of parts (text, images, …).
public enum ChatContent: Codable, Sendable, Equatable {
    /// Plain text.
    case text(String)
    /// Content parts in order.
    case parts([Part])

    /// One content part: `text`, `image_url`, `input_audio`, `file`, `refusal`, … (only the
    /// text and image fields are modelled; the bridge forwards raw JSON, see `LLMRequestBody`).
    public struct Part: Codable, Sendable, Equatable {
        /// The part's kind.
        public var type: String
        /// A `text` (or `refusal`) part's text.
        public var text: String?
        /// An `image_url` part's `{url, detail}`.
        public var imageURL: JSONValue?

        /// A part.
        public init(type: String, text: String? = nil, imageURL: JSONValue? = nil) {
            self.type = type
            self.text = text
            self.imageURL = imageURL
        }

        /// A text part.
        public static func text(_ text: String) -> Part { Part(type: "text", text: text) }

        enum CodingKeys: String, CodingKey {
            case type, text
            case imageURL = "image_url"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .parts(try container.decode([Part].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .parts(let parts): try container.encode(parts)
        }
    }

    /// The text: the string, or the last text part's (how a recorded prompt is taken).
    public var lastText: String? {
        switch self {
        case .text(let text): text
        case .parts(let parts): parts.last { $0.type == "text" }?.text
        }
    }
}
