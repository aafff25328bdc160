import Foundation

/// Where a tool call came from, for thread lineage.
public struct ToolCallOrigin: Sendable, Equatable {
    /// The interception that made the call (the new request's thread parent).
    public var interceptionID: UUID
    /// That interception's thread root, nil when it is a root itself.
    public var threadRootID: UUID?

    /// An origin.
    public init(interceptionID: UUID, threadRootID: UUID?) {
        self.interceptionID = interceptionID
        self.threadRootID = threadRootID
    }

    /// The root a request answering this call belongs to: the parent's root, or the parent.
    public var rootForChild: UUID { threadRootID ?? interceptionID }
}
