import Foundation

/// auth-gateway's public API (seed 000 and its spec): `/session` answers the session id
/// as plain text and `/ping` `pong`; these are the JSON bodies of `/admin/…` and `/health`.
/// Errors use `CodeDescriptionError`.
public enum AuthGatewayAPI {
    /// A user of the platform (`GET /admin/users`, `/admin/users/{name}`, `POST /admin/users`).
    public struct User: Sendable, Codable, Equatable {
        /// The user's id (sent upstream as `X-User-Id`).
        public var id: Int64
        /// The unique user name.
        public var name: String
        /// Roles among `user`, `admin`, `auditor`, `compute`.
        public var roles: [String]
        /// When the user was made.
        public var createdAt: Date
        /// A disabled user's keys and sessions are refused.
        public var disabled: Bool

        enum CodingKeys: String, CodingKey { case id, name, roles, createdAt = "created_at", disabled }

        /// A user record.
        public init(id: Int64, name: String, roles: [String], createdAt: Date, disabled: Bool) {
            self.id = id
            self.name = name
            self.roles = roles
            self.createdAt = createdAt
            self.disabled = disabled
        }
    }

    /// An API key as listed (`GET /admin/users/{name}/keys`): never the key itself, only
    /// its display prefix.
    public struct APIKey: Sendable, Codable, Equatable {
        /// The key's id (`POST /admin/keys/{id}/revoke`).
        public var id: Int64
        /// The owner's user id.
        public var userID: Int64
        /// A label given at creation.
        public var label: String
        /// The first characters of the key, to recognise it.
        public var prefix: String
        /// When the key was made.
        public var createdAt: Date
        /// When a session was last made with it.
        public var lastUsedAt: Date?
        /// When it was revoked, if it was.
        public var revokedAt: Date?

        enum CodingKeys: String, CodingKey {
            case id, userID = "user_id", label, prefix, createdAt = "created_at", lastUsedAt = "last_used_at", revokedAt = "revoked_at"
        }

        /// A key record.
        public init(id: Int64, userID: Int64, label: String, prefix: String, createdAt: Date, lastUsedAt: Date?, revokedAt: Date?) {
            self.id = id
            self.userID = userID
            self.label = label
            self.prefix = prefix
            self.createdAt = createdAt
            self.lastUsedAt = lastUsedAt
            self.revokedAt = revokedAt
        }
    }

    /// `POST /admin/users`.
    public struct CreateUserRequest: Sendable, Codable, Equatable {
        /// The new user's name.
        public var name: String
        /// Its roles.
        public var roles: [String]

        /// A request body.
        public init(name: String, roles: [String]) {
            self.name = name
            self.roles = roles
        }
    }

    /// `POST /admin/users/{name}/keys` (the body may be empty).
    public struct CreateKeyRequest: Sendable, Codable, Equatable {
        /// A label for the key.
        public var label: String?

        /// A request body.
        public init(label: String? = nil) { self.label = label }
    }

    /// A newly made key (`POST /admin/users/{name}/keys`): the key is shown this once.
    public struct CreatedKey: Sendable, Codable, Equatable {
        /// The key's id.
        public var id: Int64
        /// The owner's name.
        public var user: String
        /// Its label.
        public var label: String
        /// Its display prefix.
        public var prefix: String
        /// The key itself (`cbk_…`).
        public var key: String

        /// A created key.
        public init(id: Int64, user: String, label: String, prefix: String, key: String) {
            self.id = id
            self.user = user
            self.label = label
            self.prefix = prefix
            self.key = key
        }
    }

    /// `GET /health` when a service behind the gateway is not healthy (503):
    /// `{"status": "degraded", "services": {name: state}}`.
    public typealias HealthReport = HealthStatus
}
