/// A payload that does not have the shape its API documents.
public struct LLMWireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong.
    public var reason: String

    /// An error with `reason`.
    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}
