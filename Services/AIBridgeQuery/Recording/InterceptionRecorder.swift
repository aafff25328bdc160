import Foundation

/// What the bridge records, in the order it records it; the store implements it. Every
/// write is durable when the call returns (the bridge holds back the end of a response
/// until `finish` has returned, so a client that received a whole answer finds it recorded).
public protocol InterceptionRecorder: Sendable {
    /// Stores a new interception (ended_at null: invisible to queries) before the request
    /// is forwarded.
    func start(_ interception: RecordedInterception) async throws
    /// Records what the response carried and sets `ended_at`, in one transaction.
    func finish(_ outcome: RecordedOutcome) async throws
    /// The interception that made the tool call `providerToolCallID` and its thread root
    /// (nil when it is a root), for thread lineage; nil when no tool usage has that id.
    func toolCallOrigin(providerToolCallID: String) async throws -> ToolCallOrigin?
}
