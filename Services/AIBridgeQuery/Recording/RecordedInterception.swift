import Foundation

/// An interception as the bridge stores it before forwarding (the spec's data model).
public struct RecordedInterception: Sendable, Equatable {
    /// The interception's id.
    public var id: UUID
    /// The user who made the call (the gateway's `X-User-Id`).
    public var initiatorID: String
    /// `openai` or `anthropic`.
    public var provider: String
    /// The model the request asked for.
    public var model: String
    /// When the bridge received the request.
    public var startedAt: Date
    /// Free-form metadata (a JSON object's text).
    public var metadataJSON: String
    /// The caller's API key id, when it came with one.
    public var apiKeyID: String?
    /// The client read from User-Agent (`Claude Code`, `Codex`, `Zed`, …), nil when unknown.
    public var client: String?
    /// The client's own session id (its session header or `X-AIBridge-Session-Id`).
    public var clientSessionID: String?
    /// The interception whose tool call this request answers.
    public var threadParentID: UUID?
    /// The root of that thread.
    public var threadRootID: UUID?

    /// A new interception.
    public init(id: UUID, initiatorID: String, provider: String, model: String, startedAt: Date, metadataJSON: String = "{}",
                apiKeyID: String? = nil, client: String? = nil, clientSessionID: String? = nil,
                threadParentID: UUID? = nil, threadRootID: UUID? = nil) {
        self.id = id
        self.initiatorID = initiatorID
        self.provider = provider
        self.model = model
        self.startedAt = startedAt
        self.metadataJSON = metadataJSON
        self.apiKeyID = apiKeyID
        self.client = client
        self.clientSessionID = clientSessionID
        self.threadParentID = threadParentID
        self.threadRootID = threadRootID
    }
}
