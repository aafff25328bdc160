/// A message's `content` (or the request's `system`): a string, or a list of blocks.
public enum AnthropicContent: Codable, Sendable, Equatable {
    /// Plain text.
    case text(String)
    /// Blocks in order.
    case blocks([AnthropicContentBlock])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .blocks(try container.decode([AnthropicContentBlock].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .blocks(let blocks): try container.encode(blocks)
        }
    }

    /// The text: the string, or the last text block's.
    public var lastText: String? {
        switch self {
        case .text(let text): text
        case .blocks(let blocks): blocks.last { $0.type == "text" }?.text
        }
    }
}
