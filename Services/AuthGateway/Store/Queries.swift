import Storage

/// Every SQL statement of the gateway's store, named (the connection's statement cache is
/// keyed by their text), as `SQLQuery`s: one text where SQLite and PostgreSQL agree, one
/// per dialect where they differ. The tables are described in `Schema`; rows are read into
/// typed values by the `init(row:)` of `AuthGatewayAPI.User`, `AuthGatewayAPI.APIKey`,
/// `Principal` and `StoredSession`, in the column order of the queries here.
enum Queries {
    // MARK: - Users

    /// The columns a user is read from, in the order `AuthGatewayAPI.User.init(row:)` reads them.
    static let userColumns = "id, name, roles, created_at, disabled"
    /// Stores a new, enabled user; returns its id.
    static let insertUser = SQLQuery("INSERT INTO users (name, roles, created_at, disabled) VALUES (?, ?, ?, 0) RETURNING id")
    /// Every user, by id.
    static let allUsers = SQLQuery("SELECT \(userColumns) FROM users ORDER BY id")
    /// One user by name.
    static let userByName = SQLQuery("SELECT \(userColumns) FROM users WHERE name = ?")
    /// How many users there are.
    static let userCount = SQLQuery("SELECT COUNT(*) FROM users")
    /// Disables a user.
    static let disableUser = SQLQuery("UPDATE users SET disabled = 1 WHERE id = ?")
    /// Ends a user's sessions.
    static let deleteSessionsOfUser = SQLQuery("DELETE FROM sessions WHERE user_id = ?")

    // MARK: - API keys

    /// The columns a key record is read from, in the order `AuthGatewayAPI.APIKey.init(row:)` reads them.
    static let keyColumns = "id, user_id, label, prefix, created_at, last_used_at, revoked_at"
    /// Stores a new key (its digest and display prefix); returns its id.
    static let insertKey = SQLQuery("INSERT INTO api_keys (user_id, label, hash, prefix, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id")
    /// A user's keys, by id.
    static let keysOfUser = SQLQuery("SELECT \(keyColumns) FROM api_keys WHERE user_id = ? ORDER BY id")
    /// One key record by id.
    static let keyByID = SQLQuery("SELECT \(keyColumns) FROM api_keys WHERE id = ?")
    /// Revokes a key (a second revocation keeps the first time).
    static let revokeKey = SQLQuery("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?")
    /// Ends a key's sessions.
    static let deleteSessionsOfKey = SQLQuery("DELETE FROM sessions WHERE key_id = ?")
    /// Records a key's use.
    static let touchKey = SQLQuery("UPDATE api_keys SET last_used_at = ? WHERE id = ?")
    /// Records a key's use unless one was recorded after the third parameter: concurrent
    /// sessions of one key then write its row once (on PostgreSQL each such write to the
    /// same row makes the others' SERIALIZABLE transactions fail and run again).
    static let touchKeyIfStale = SQLQuery("UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)")
    /// The digest and principal (`Principal.init(row:)` from column 1) of an unrevoked key
    /// of an enabled user, by digest.
    static let activePrincipalByKeyHash = SQLQuery("""
        SELECT k.hash, u.id, u.name, u.roles, k.id FROM api_keys k JOIN users u ON u.id = k.user_id
        WHERE k.hash = ? AND k.revoked_at IS NULL AND u.disabled = 0
        """)

    // MARK: - Sessions

    /// Locks a key's row for the session being made (PostgreSQL: `FOR UPDATE`; SQLite, one
    /// writer at a time, only reads it): one key's sessions are made one after another on
    /// every replica, each seeing the ones made before it.
    static let lockKeyForSession = SQLQuery(
        sqlite: "SELECT id FROM api_keys WHERE id = ?",
        postgres: "SELECT id FROM api_keys WHERE id = ? FOR UPDATE")
    /// Stores a session by digest, only while its key is unrevoked and its user enabled
    /// (the last parameter is the key's id again): a session made while its key is being
    /// revoked is either deleted by the revocation or never stored.
    static let insertSessionOfActiveKey = SQLQuery("""
        INSERT INTO sessions (hash, user_id, key_id, created_at, expires_at) SELECT ?, ?, ?, ?, ?
        WHERE EXISTS (SELECT 1 FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = ? AND k.revoked_at IS NULL AND u.disabled = 0)
        """)
    /// A key's sessions other than its newest (the second parameter: how many are kept),
    /// newest first: creation number and digest. SQLite's row ids and PostgreSQL's `seq`
    /// identity grow with each insert, so they order sessions by creation even when two
    /// share a `created_at`.
    static let sessionsOfKeyBeyondNewest = SQLQuery(
        sqlite: "SELECT rowid, hash FROM sessions WHERE key_id = ? ORDER BY rowid DESC LIMIT -1 OFFSET ?",
        postgres: "SELECT seq, hash FROM sessions WHERE key_id = ? ORDER BY seq DESC OFFSET ?")
    /// Deletes a key's sessions up to a creation number (its oldest).
    static let deleteSessionsOfKeyUpTo = SQLQuery(
        sqlite: "DELETE FROM sessions WHERE key_id = ? AND rowid <= ?",
        postgres: "DELETE FROM sessions WHERE key_id = ? AND seq <= ?")
    /// A session (`StoredSession.init(row:)`) whose key is unrevoked and whose user is
    /// enabled, by digest.
    static let liveSessionByHash = SQLQuery("""
        SELECT s.hash, u.id, u.name, u.roles, s.key_id, s.expires_at FROM sessions s
        JOIN users u ON u.id = s.user_id JOIN api_keys k ON k.id = s.key_id
        WHERE s.hash = ? AND k.revoked_at IS NULL AND u.disabled = 0
        """)
    /// Deletes the sessions expired at a time.
    static let deleteExpiredSessions = SQLQuery("DELETE FROM sessions WHERE expires_at <= ?")
}
