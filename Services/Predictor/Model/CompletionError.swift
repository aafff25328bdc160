/// Why a completion request cannot be served.
public enum CompletionError: Error, Sendable, Equatable {
    /// The file holds no `<cursor>` marker.
    case missingCursor
    /// The file holds more than one `<cursor>` marker.
    case multipleCursors
}
