/// `stream_options` of a streamed OpenAI request.
public struct StreamOptions: Codable, Sendable, Equatable {
    /// Ask for a last chunk carrying `usage` (its `choices` empty; `usage: null` in the others).
    public var includeUsage: Bool?

    /// Options.
    public init(includeUsage: Bool?) { self.includeUsage = includeUsage }

    enum CodingKeys: String, CodingKey {
        case includeUsage = "include_usage"
    }
}
