/// Who is calling, as the gateway established it.
public struct Identity: Sendable, Codable, Equatable {
    /// The user's id.
    public var userID: String
    /// The user's name.
    public var name: String
    /// The user's roles (`user`, `admin`, `auditor`, `compute`).
    public var roles: [String]

    public init(userID: String, name: String, roles: [String]) {
        self.userID = userID
        self.name = name
        self.roles = roles
    }

    /// Whether the user has any of `roles`.
    public func hasAny(_ roles: [String]) -> Bool { self.roles.contains { roles.contains($0) } }
}

/// The headers that carry identity from the gateway to a service.
public enum IdentityHeaders {
    /// The caller's user id.
    public static let userID = "X-User-Id"
    /// The caller's user name.
    public static let userName = "X-User-Name"
    /// The caller's roles, comma-separated.
    public static let roles = "X-User-Roles"
    /// The shared secret proving the gateway added the headers above.
    public static let internalToken = "X-Internal-Token"
    /// Every identity header; the gateway strips these from client requests.
    public static let all = [userID, userName, roles, internalToken]
}

/// The request id header, kept end to end.
public let requestIDHeader = "X-Request-Id"
