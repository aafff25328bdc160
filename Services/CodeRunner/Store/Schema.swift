import Storage

/// code-runner's tables, as numbered migrations (never edit a shipped one), each with its
/// SQLite and its PostgreSQL script (schema `code_runner`).
///
/// `session`: which user owns an analysis session id (ids are global: another user's is a
/// 404). `dataset`: a session's uploaded dataset as UTF-8 CSV (`BLOB`/`BYTEA`; no row: the
/// built-in sample), so every replica loads the same dataset into its kernels. `code`: the
/// latest code of each (user, message id), from execute, edit and fix.
enum Schema {
    /// The numbered schema migrations.
    static let migrations: [Migration] = [
        Migration(version: 1, name: "sessions, datasets, code", sqlite: """
            CREATE TABLE session (
                id TEXT PRIMARY KEY,
                user_id TEXT NOT NULL,
                created INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE dataset (
                session TEXT PRIMARY KEY REFERENCES session(id),
                name TEXT NOT NULL,
                description TEXT NOT NULL,
                csv BLOB NOT NULL,
                rows INTEGER NOT NULL,
                columns TEXT NOT NULL,
                uploaded INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE code (
                user_id TEXT NOT NULL,
                message_id INTEGER NOT NULL,
                code TEXT NOT NULL,
                source TEXT NOT NULL,
                updated INTEGER NOT NULL,
                PRIMARY KEY (user_id, message_id)
            ) WITHOUT ROWID;
            """, postgres: """
            CREATE TABLE session (
                id TEXT PRIMARY KEY,
                user_id TEXT NOT NULL,
                created BIGINT NOT NULL
            );
            CREATE TABLE dataset (
                session TEXT PRIMARY KEY REFERENCES session(id),
                name TEXT NOT NULL,
                description TEXT NOT NULL,
                csv BYTEA NOT NULL,
                rows BIGINT NOT NULL,
                columns TEXT NOT NULL,
                uploaded BIGINT NOT NULL
            );
            CREATE TABLE code (
                user_id TEXT NOT NULL,
                message_id BIGINT NOT NULL,
                code TEXT NOT NULL,
                source TEXT NOT NULL,
                updated BIGINT NOT NULL,
                PRIMARY KEY (user_id, message_id)
            );
            """),
    ]
}
