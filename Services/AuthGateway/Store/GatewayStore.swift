import Contracts
import Crypto
import Foundation
import Storage

/// Users, API keys and sessions in SQLite (`DATA_DIR/gateway.sqlite`) or, with
/// `DATABASE_URL=postgres://…`, in PostgreSQL schema `auth_gateway`, over the `SQLDatabase`
/// protocol. The SQL is in `Queries`, the tables in `Schema`; rows are read into contract
/// values (`AuthGatewayAPI.User`, `.APIKey`), `Principal` and `StoredSession`.
///
/// Every write that ends credentials (a key revoked, a user disabled, sessions ended under
/// the per-key cap) announces it on `revocationChannel` in the same transaction (sent when
/// it commits): each replica's `Authenticator` listens and drops what it cached.
public struct GatewayStore: Sendable {
    /// The roles a user may have.
    public static let knownRoles = ["user", "admin", "auditor", "compute"]

    /// `roles` with each role once, in the order first given (`["user","user","admin"]` →
    /// `["user","admin"]`): what is stored, and what is read back from older rows.
    public static func distinct<Roles: Sequence<String>>(_ roles: Roles) -> [String] {
        var seen = Set<String>()
        return roles.filter { seen.insert($0).inserted }
    }

    /// The database.
    public let db: any SQLDatabase

    /// A store over an open, migrated database.
    public init(db: any SQLDatabase) { self.db = db }

    /// The PostgreSQL schema holding the gateway's tables.
    public static let postgresSchema = "auth_gateway"

    /// A key's use is recorded at most once in this many seconds (`last_used_at`).
    public static let keyTouchInterval: TimeInterval = 60

    /// The notification channel of `Revocation`s (`SQLDatabase.listen(channel:)`).
    public static let revocationChannel = "revocations"

    /// Announces `revocation` on `revocationChannel` when `connection`'s write commits.
    private static func announce(_ revocation: Revocation, on connection: any SQLConnection) throws {
        try connection.notify(channel: revocationChannel, payload: try revocation.payload)
    }

    /// Opens (and migrates) the store at `location`, with `poolSize` connections on
    /// PostgreSQL, in `schema` (tests use one of their own).
    public static func open(_ location: DatabaseLocation, poolSize: Int = 4,
                            schema: String = postgresSchema) async throws -> GatewayStore {
        GatewayStore(db: try await location.open(schema: schema, migrations: Schema.migrations,
                                                 postgresOptions: PostgresOptions(poolSize: poolSize, applicationName: "auth-gateway")))
    }

    /// Opens (and migrates) the SQLite store at `path`.
    public static func open(path: String) async throws -> GatewayStore {
        try await open(.sqlite(path: path))
    }

    /// Closes the database.
    public func close() async { await db.close() }

    // MARK: - Users

    /// Creates a user; 409 when the name exists, 400 for a bad name or role.
    public func createUser(name: String, roles: [String], now: Date) async throws -> AuthGatewayAPI.User {
        try Self.validate(name: name)
        let roles = Self.distinct(roles)
        if roles.isEmpty { throw StoreError.invalid("at least one role is required (\(Self.knownRoles.joined(separator: ", ")))") }
        for role in roles where !Self.knownRoles.contains(role) {
            throw StoreError.invalid("unknown role '\(role)' (known: \(Self.knownRoles.joined(separator: ", ")))")
        }
        do {
            let id = try await db.write { connection -> Int64 in
                try connection.queryOne(Queries.insertUser, name, roles.joined(separator: ","), now.timeIntervalSince1970)!.get(0)
            }
            return AuthGatewayAPI.User(id: id, name: name, roles: roles, createdAt: now, disabled: false)
        } catch where StorageError.isUniqueViolation(error) {
            throw StoreError.conflict("user '\(name)' already exists")
        }
    }

    /// 400 unless `name` is 1–64 of `[A-Za-z0-9._@-]`.
    static func validate(name: String) throws {
        let valid = !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x40
        }
        if !valid { throw StoreError.invalid("user name must be 1-64 of [A-Za-z0-9._@-]") }
    }

    /// Every user, by id.
    public func users() async throws -> [AuthGatewayAPI.User] {
        try await db.read { connection in
            try connection.query(Queries.allUsers).map(AuthGatewayAPI.User.init(row:))
        }
    }

    /// The user called `name`.
    public func user(named name: String) async throws -> AuthGatewayAPI.User {
        let user = try await db.read { connection in
            try connection.queryOne(Queries.userByName, name).map(AuthGatewayAPI.User.init(row:))
        }
        guard let user else { throw StoreError.notFound("no user '\(name)'") }
        return user
    }

    /// The number of users.
    public func userCount() async throws -> Int {
        try await db.read { try $0.queryOne(Queries.userCount)!.get(0) }
    }

    /// Disables a user and deletes its sessions; every replica is told (`Revocation.user`).
    public func disableUser(named name: String) async throws -> AuthGatewayAPI.User {
        var user = try await user(named: name)
        let id = user.id
        try await db.write { connection in
            try connection.run(Queries.disableUser, id)
            try connection.run(Queries.deleteSessionsOfUser, id)
            try Self.announce(.user(id: id), on: connection)
        }
        user.disabled = true
        return user
    }

    // MARK: - API keys

    /// Makes a key for a user; returns the record and the key (shown once).
    public func createKey(userName: String, label: String, now: Date) async throws -> (record: AuthGatewayAPI.APIKey, key: String) {
        let user = try await user(named: userName)
        if user.disabled { throw StoreError.invalid("user '\(userName)' is disabled") }
        let key = Secrets.newAPIKey()
        let prefix = String(key.prefix(Secrets.keyPrefix.count + 6))
        let hash = Secrets.digest(key)
        let id = try await db.write { connection -> Int64 in
            try connection.queryOne(Queries.insertKey, user.id, label, hash, prefix, now.timeIntervalSince1970)!.get(0)
        }
        let record = AuthGatewayAPI.APIKey(id: id, userID: user.id, label: label, prefix: prefix, createdAt: now, lastUsedAt: nil, revokedAt: nil)
        return (record, key)
    }

    /// A user's keys.
    public func keys(userName: String) async throws -> [AuthGatewayAPI.APIKey] {
        let user = try await user(named: userName)
        return try await db.read { connection in
            try connection.query(Queries.keysOfUser, user.id).map(AuthGatewayAPI.APIKey.init(row:))
        }
    }

    /// Revokes a key and deletes its sessions; returns the record. Every replica is told
    /// (`Revocation.key`).
    public func revokeKey(id: Int64, now: Date) async throws -> AuthGatewayAPI.APIKey {
        let record = try await db.write { connection -> AuthGatewayAPI.APIKey? in
            try connection.run(Queries.revokeKey, now.timeIntervalSince1970, id)
            try connection.run(Queries.deleteSessionsOfKey, id)
            guard let record = try connection.queryOne(Queries.keyByID, id).map(AuthGatewayAPI.APIKey.init(row:)) else { return nil }
            try Self.announce(.key(id: id), on: connection)
            return record
        }
        guard let record else { throw StoreError.notFound("no key \(id)") }
        return record
    }

    /// The active (unrevoked key, enabled user) principal for a key digest, if any.
    public func principal(keyHash: String) async throws -> Principal? {
        try await db.read { connection in
            guard let row = try connection.queryOne(Queries.activePrincipalByKeyHash, keyHash) else { return nil }
            // The index found it; compare the digest in constant time anyway.
            guard ConstantTime.equals(try row.get(0, as: String.self), keyHash) else { return nil }
            return try Principal(row: row, startingAt: 1)
        }
    }

    /// Records a key's use.
    public func touchKey(id: Int64, now: Date) async throws {
        try await db.write { try $0.run(Queries.touchKey, now.timeIntervalSince1970, id) }
    }

    // MARK: - Sessions

    /// Stores a session (by digest) for a principal, unless its key has been revoked or its
    /// user disabled meanwhile; then ends the key's oldest sessions beyond its newest
    /// `maxPerKey` (0: no cap), in the same transaction; the key's use is recorded unless it
    /// was within `keyTouchInterval`; every replica is told which ended
    /// (`Revocation.sessions`).
    ///
    /// On PostgreSQL the transaction is `READ COMMITTED` and first locks the key's row: the
    /// sessions of one key, made at once on any replicas, are then made one after another,
    /// each seeing the ones before it (the cap stays exact), where `SERIALIZABLE` would abort
    /// and re-run all but one of them (the page-level predicate locks of the cap's read also
    /// made sessions of different keys abort each other).
    public func createSession(hash: String, principal: Principal, now: Date, expiresAt: Date,
                              maxPerKey: Int) async throws -> SessionInsert {
        try await db.write(isolation: .readCommitted) { connection -> SessionInsert in
            _ = try connection.query(Queries.lockKeyForSession, principal.keyID)
            let stored = try connection.run(Queries.insertSessionOfActiveKey, hash, principal.userID, principal.keyID,
                                            now.timeIntervalSince1970, expiresAt.timeIntervalSince1970, principal.keyID)
            guard stored == 1 else { return .keyInactive }
            try connection.run(Queries.touchKeyIfStale, now.timeIntervalSince1970, principal.keyID,
                               now.timeIntervalSince1970 - Self.keyTouchInterval)
            guard maxPerKey > 0 else { return .stored(ended: []) }
            let beyond = try connection.query(Queries.sessionsOfKeyBeyondNewest, principal.keyID, maxPerKey)
            guard let newestEnded = beyond.first else { return .stored(ended: []) }
            try connection.run(Queries.deleteSessionsOfKeyUpTo, principal.keyID, try newestEnded.get(0, as: Int64.self))
            let ended = try beyond.map { try $0.get(1, as: String.self) }
            for revocation in Revocation.sessions(ending: ended) { try Self.announce(revocation, on: connection) }
            return .stored(ended: ended)
        }
    }

    /// A live session (key unrevoked, user enabled) by digest, if any.
    public func session(hash: String) async throws -> StoredSession? {
        try await db.read { connection in
            guard let row = try connection.queryOne(Queries.liveSessionByHash, hash) else { return nil }
            let session = try StoredSession(row: row)
            return ConstantTime.equals(session.hash, hash) ? session : nil
        }
    }

    /// Deletes expired sessions; returns how many.
    @discardableResult
    public func deleteExpiredSessions(now: Date) async throws -> Int {
        try await db.write { try $0.run(Queries.deleteExpiredSessions, now.timeIntervalSince1970) }
    }
}
