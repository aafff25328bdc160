/// An event field that cannot be written: a line break in an event type, id or comment,
/// a NUL in an id, a negative retry.
public struct SSEFieldError: Error, Sendable, Equatable {
    /// The field (`event`, `id`, `retry`, `comment`).
    public let field: String
}
