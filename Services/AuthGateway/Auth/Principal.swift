import Contracts

/// What a valid credential resolves to: the user, its roles and the key it came through.
public struct Principal: Sendable, Equatable {
    /// The user's id (`X-User-Id`).
    public var userID: Int64
    /// The user's name (`X-User-Name`).
    public var name: String
    /// The user's roles.
    public var roles: [String] { didSet { rolesHeader = roles.joined(separator: ",") } }
    /// The API key the credential came through (a session's key).
    public var keyID: Int64
    /// `roles` as sent upstream (`a,b`), joined once.
    public private(set) var rolesHeader: String
    /// The user's requests in flight at the upstreams (shared by all its principals),
    /// attached by the `Authenticator` when the principal is cached; nil for a principal
    /// read straight from the store.
    public internal(set) var load: UserLoad?

    /// A principal.
    public init(userID: Int64, name: String, roles: [String], keyID: Int64) {
        self.userID = userID
        self.name = name
        self.roles = roles
        self.keyID = keyID
        rolesHeader = roles.joined(separator: ",")
    }

    /// Equal when user, name, roles and key are (the attached load is not compared).
    public static func == (lhs: Principal, rhs: Principal) -> Bool {
        lhs.userID == rhs.userID && lhs.name == rhs.name && lhs.roles == rhs.roles && lhs.keyID == rhs.keyID
    }

    /// As the identity passed to services.
    public var identity: Identity { Identity(userID: String(userID), name: name, roles: roles) }
}
