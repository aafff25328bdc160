/// A failure of a store operation (mapped to 404/409/400 by the HTTP layer and the CLI).
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// No such user or key (404).
    case notFound(String)
    /// The user exists already (409).
    case conflict(String)
    /// A bad name or role, or a disabled user (400).
    case invalid(String)

    /// The message alone.
    public var description: String {
        switch self {
        case .notFound(let message), .conflict(let message), .invalid(let message): message
        }
    }
}
