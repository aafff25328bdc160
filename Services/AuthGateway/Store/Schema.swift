import Storage

/// The gateway's tables, as numbered migrations (never edit a shipped one). Users with
/// their roles (comma-separated), API keys and sessions stored by the SHA-256 of the
/// secret (64 lowercase hex digits), never the secret itself.
enum Schema {
    /// The numbered schema migrations.
    static let migrations: [Migration] = [
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
}
