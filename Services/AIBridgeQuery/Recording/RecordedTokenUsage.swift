import Foundation

/// One token_usage row.
public struct RecordedTokenUsage: Sendable, Equatable {
    /// The row's id.
    public var id: UUID
    /// The provider's response id (`chatcmpl-…`, `msg_…`).
    public var providerResponseID: String
    /// Input (prompt) tokens.
    public var inputTokens: Int64
    /// Output (completion) tokens.
    public var outputTokens: Int64
    /// Extra counters (cached, reasoning, cache creation/read tokens…) as a JSON object's text.
    public var metadataJSON: String
    /// When it was recorded.
    public var createdAt: Date

    /// A token usage.
    public init(id: UUID = UUID(), providerResponseID: String, inputTokens: Int64, outputTokens: Int64,
                metadataJSON: String = "{}", createdAt: Date) {
        self.id = id
        self.providerResponseID = providerResponseID
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.metadataJSON = metadataJSON
        self.createdAt = createdAt
    }
}
