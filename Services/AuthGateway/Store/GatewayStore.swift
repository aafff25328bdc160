import Contracts
import Crypto
import Foundation
import Storage

/// What a valid credential resolves to.
public struct Principal: Sendable, Equatable {
    public var userID: Int64
    public var name: String
    public var roles: [String] { didSet { rolesHeader = roles.joined(separator: ",") } }
    public var keyID: Int64
    /// `roles` as sent upstream (`a,b`), joined once.
    public private(set) var rolesHeader: String

    public init(userID: Int64, name: String, roles: [String], keyID: Int64) {
        self.userID = userID
        self.name = name
        self.roles = roles
        self.keyID = keyID
        rolesHeader = roles.joined(separator: ",")
    }
}

/// A failure of a store operation (mapped to 404/409/400 by the HTTP layer and the CLI).
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case notFound(String)
    case conflict(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .notFound(let m), .conflict(let m), .invalid(let m): m
        }
    }
}

/// Users, API keys and sessions in SQLite (DATA_DIR/gateway.sqlite). SQL lives here only.
public struct GatewayStore: Sendable {
    /// The roles a user may have.
    public static let knownRoles = ["user", "admin", "auditor", "compute"]

    /// The numbered schema migrations.
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "users, api keys, sessions", sql: """
            CREATE TABLE users (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE,
                roles TEXT NOT NULL,
                created_at REAL NOT NULL,
                disabled INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE api_keys (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                user_id INTEGER NOT NULL REFERENCES users(id),
                label TEXT NOT NULL DEFAULT '',
                hash TEXT NOT NULL UNIQUE,
                prefix TEXT NOT NULL,
                created_at REAL NOT NULL,
                last_used_at REAL,
                revoked_at REAL
            );
            CREATE INDEX api_keys_user ON api_keys(user_id);
            CREATE TABLE sessions (
                hash TEXT PRIMARY KEY,
                user_id INTEGER NOT NULL REFERENCES users(id),
                key_id INTEGER NOT NULL REFERENCES api_keys(id),
                created_at REAL NOT NULL,
                expires_at REAL NOT NULL
            );
            CREATE INDEX sessions_expiry ON sessions(expires_at);
            CREATE INDEX sessions_key ON sessions(key_id);
            CREATE INDEX sessions_user ON sessions(user_id);
            """),
    ]

    /// The database.
    public let db: SQLiteDatabase

    public init(db: SQLiteDatabase) { self.db = db }

    /// Opens (and migrates) the store at `path`.
    public static func open(path: String) async throws -> GatewayStore {
        GatewayStore(db: try await SQLiteDatabase(path: path, migrations: migrations))
    }

    /// Closes the database.
    public func close() async { await db.close() }

    // MARK: users

    /// Creates a user; 409 when the name exists, 400 for a bad name or role.
    public func createUser(name: String, roles: [String], now: Date) async throws -> AuthGatewayAPI.User {
        try Self.validate(name: name)
        let roles = Array(NSOrderedSet(array: roles).array as! [String])
        if roles.isEmpty { throw StoreError.invalid("at least one role is required (\(Self.knownRoles.joined(separator: ", ")))") }
        for r in roles where !Self.knownRoles.contains(r) {
            throw StoreError.invalid("unknown role '\(r)' (known: \(Self.knownRoles.joined(separator: ", ")))")
        }
        do {
            let id = try await db.write { conn -> Int64 in
                try conn.run("INSERT INTO users (name, roles, created_at, disabled) VALUES (?, ?, ?, 0)",
                             name, roles.joined(separator: ","), now.timeIntervalSince1970)
                return conn.lastInsertRowID
            }
            return AuthGatewayAPI.User(id: id, name: name, roles: roles, createdAt: now, disabled: false)
        } catch where StorageError.isUniqueViolation(error) {
            throw StoreError.conflict("user '\(name)' already exists")
        }
    }

    static func validate(name: String) throws {
        let ok = !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x2E || c == 0x5F || c == 0x40
        }
        if !ok { throw StoreError.invalid("user name must be 1-64 of [A-Za-z0-9._@-]") }
    }

    /// Every user, by id.
    public func users() async throws -> [AuthGatewayAPI.User] {
        try await db.read { conn in
            try conn.query("SELECT id, name, roles, created_at, disabled FROM users ORDER BY id").map(Self.user)
        }
    }

    /// The user called `name`.
    public func user(named name: String) async throws -> AuthGatewayAPI.User {
        let u = try await db.read { conn in
            try conn.queryOne("SELECT id, name, roles, created_at, disabled FROM users WHERE name = ?", name).map(Self.user)
        }
        guard let u else { throw StoreError.notFound("no user '\(name)'") }
        return u
    }

    /// The number of users.
    public func userCount() async throws -> Int {
        try await db.read { try $0.queryOne("SELECT COUNT(*) FROM users")!.get(0) }
    }

    /// Disables a user and deletes its sessions.
    public func disableUser(named name: String) async throws -> AuthGatewayAPI.User {
        var u = try await user(named: name)
        let id = u.id
        try await db.write { conn in
            try conn.run("UPDATE users SET disabled = 1 WHERE id = ?", id)
            try conn.run("DELETE FROM sessions WHERE user_id = ?", id)
        }
        u.disabled = true
        return u
    }

    static func user(_ row: Row) throws -> AuthGatewayAPI.User {
        AuthGatewayAPI.User(id: try row.get(0), name: try row.get(1),
             roles: (try row.get(2, as: String.self)).split(separator: ",").map(String.init),
             createdAt: try row.get(3), disabled: try row.get(4, as: Int.self) != 0)
    }

    // MARK: keys

    /// Makes a key for a user; returns the record and the key (shown once).
    public func createKey(userName: String, label: String, now: Date) async throws -> (AuthGatewayAPI.APIKey, String) {
        let u = try await user(named: userName)
        if u.disabled { throw StoreError.invalid("user '\(userName)' is disabled") }
        let key = Secrets.newAPIKey()
        let prefix = String(key.prefix(Secrets.keyPrefix.count + 6))
        let hash = Secrets.digest(key)
        let id = try await db.write { conn -> Int64 in
            try conn.run("INSERT INTO api_keys (user_id, label, hash, prefix, created_at) VALUES (?, ?, ?, ?, ?)",
                         u.id, label, hash, prefix, now.timeIntervalSince1970)
            return conn.lastInsertRowID
        }
        return (AuthGatewayAPI.APIKey(id: id, userID: u.id, label: label, prefix: prefix, createdAt: now, lastUsedAt: nil, revokedAt: nil), key)
    }

    /// A user's keys.
    public func keys(userName: String) async throws -> [AuthGatewayAPI.APIKey] {
        let u = try await user(named: userName)
        return try await db.read { conn in
            try conn.query("SELECT id, user_id, label, prefix, created_at, last_used_at, revoked_at FROM api_keys WHERE user_id = ? ORDER BY id", u.id)
                .map(Self.key)
        }
    }

    /// Revokes a key and deletes its sessions; returns the record.
    public func revokeKey(id: Int64, now: Date) async throws -> AuthGatewayAPI.APIKey {
        let rec = try await db.write { conn -> AuthGatewayAPI.APIKey? in
            try conn.run("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?", now.timeIntervalSince1970, id)
            try conn.run("DELETE FROM sessions WHERE key_id = ?", id)
            return try conn.queryOne("SELECT id, user_id, label, prefix, created_at, last_used_at, revoked_at FROM api_keys WHERE id = ?", id)
                .map(Self.key)
        }
        guard let rec else { throw StoreError.notFound("no key \(id)") }
        return rec
    }

    static func key(_ row: Row) throws -> AuthGatewayAPI.APIKey {
        AuthGatewayAPI.APIKey(id: try row.get(0), userID: try row.get(1), label: try row.get(2), prefix: try row.get(3),
                     createdAt: try row.get(4), lastUsedAt: try row.get(5), revokedAt: try row.get(6))
    }

    /// The active (unrevoked key, enabled user) principal for a key digest, if any.
    public func principal(keyHash: String) async throws -> Principal? {
        try await db.read { conn in
            guard let row = try conn.queryOne("""
                SELECT k.hash, u.id, u.name, u.roles, k.id FROM api_keys k JOIN users u ON u.id = k.user_id
                WHERE k.hash = ? AND k.revoked_at IS NULL AND u.disabled = 0
                """, keyHash) else { return nil }
            // The index found it; compare the digest in constant time anyway.
            guard ConstantTime.equals(try row.get(0, as: String.self), keyHash) else { return nil }
            return Principal(userID: try row.get(1), name: try row.get(2),
                             roles: (try row.get(3, as: String.self)).split(separator: ",").map(String.init), keyID: try row.get(4))
        }
    }

    /// Records a key's use.
    public func touchKey(id: Int64, now: Date) async throws {
        try await db.write { try $0.run("UPDATE api_keys SET last_used_at = ? WHERE id = ?", now.timeIntervalSince1970, id) }
    }

    // MARK: sessions

    /// Stores a session (by digest) for a principal.
    public func createSession(hash: String, principal: Principal, now: Date, expiresAt: Date) async throws {
        try await db.write { conn in
            try conn.run("INSERT INTO sessions (hash, user_id, key_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                         hash, principal.userID, principal.keyID, now.timeIntervalSince1970, expiresAt.timeIntervalSince1970)
            try conn.run("UPDATE api_keys SET last_used_at = ? WHERE id = ?", now.timeIntervalSince1970, principal.keyID)
        }
    }

    /// The principal and expiry of a live session (key unrevoked, user enabled), if any.
    public func session(hash: String) async throws -> (Principal, Date)? {
        try await db.read { conn in
            guard let row = try conn.queryOne("""
                SELECT s.hash, u.id, u.name, u.roles, s.key_id, s.expires_at FROM sessions s
                JOIN users u ON u.id = s.user_id JOIN api_keys k ON k.id = s.key_id
                WHERE s.hash = ? AND k.revoked_at IS NULL AND u.disabled = 0
                """, hash) else { return nil }
            guard ConstantTime.equals(try row.get(0, as: String.self), hash) else { return nil }
            let p = Principal(userID: try row.get(1), name: try row.get(2),
                              roles: (try row.get(3, as: String.self)).split(separator: ",").map(String.init), keyID: try row.get(4))
            return (p, try row.get(5))
        }
    }

    /// Deletes expired sessions; returns how many.
    @discardableResult
    public func deleteExpiredSessions(now: Date) async throws -> Int {
        try await db.write { try $0.run("DELETE FROM sessions WHERE expires_at <= ?", now.timeIntervalSince1970) }
    }
}
