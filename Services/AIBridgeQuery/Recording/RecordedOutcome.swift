import Foundation

/// What a finished (or failed, or abandoned) call recorded: written with `ended_at` in one
/// transaction.
public struct RecordedOutcome: Sendable, Equatable {
    /// The interception this ends.
    public var interceptionID: UUID
    /// When the response finished, failed or the client went away.
    public var endedAt: Date
    /// Token usages (usually one per provider response).
    public var tokenUsages: [RecordedTokenUsage]
    /// The user prompt: the last input message when its role is user (at most one).
    public var userPrompt: RecordedUserPrompt?
    /// Tool calls the model made, with their provider call ids.
    public var toolUsages: [RecordedToolUsage]

    /// An outcome.
    public init(interceptionID: UUID, endedAt: Date, tokenUsages: [RecordedTokenUsage] = [],
                userPrompt: RecordedUserPrompt? = nil, toolUsages: [RecordedToolUsage] = []) {
        self.interceptionID = interceptionID
        self.endedAt = endedAt
        self.tokenUsages = tokenUsages
        self.userPrompt = userPrompt
        self.toolUsages = toolUsages
    }
}
