import Storage

/// code-runner's tables, as numbered migrations (never edit a shipped one).
///
/// `session`: which user owns an analysis session id (ids are global: another user's is a
/// 404). `dataset`: a session's uploaded dataset as UTF-8 CSV (no row: the built-in
/// sample). `code`: the latest code of each (user, message id), from execute, edit and fix.
enum Schema {
    static let migrations: [Migration] = [
        Migration(version: 1, name: "sessions, datasets, code", sql: """
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
            """),
    ]
}
