import Foundation

/// The user_prompt row of an interception.
public struct RecordedUserPrompt: Sendable, Equatable {
    /// The row's id.
    public var id: UUID
    /// The provider's response id.
    public var providerResponseID: String
    /// The prompt's text.
    public var prompt: String
    /// Metadata as a JSON object's text.
    public var metadataJSON: String
    /// When it was recorded.
    public var createdAt: Date

    /// A user prompt.
    public init(id: UUID = UUID(), providerResponseID: String, prompt: String, metadataJSON: String = "{}", createdAt: Date) {
        self.id = id
        self.providerResponseID = providerResponseID
        self.prompt = prompt
        self.metadataJSON = metadataJSON
        self.createdAt = createdAt
    }
}
