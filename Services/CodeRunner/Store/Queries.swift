import Storage

/// Every SQL statement of code-runner's store, named, as `SQLQuery`s (one text where SQLite
/// and PostgreSQL agree, one per dialect where they differ).
enum Queries {
    /// The user owning a session.
    static let sessionOwner = SQLQuery("SELECT user_id FROM session WHERE id = ?")
    /// Claims a session unless someone has it.
    static let insertSession = SQLQuery(
        sqlite: "INSERT OR IGNORE INTO session (id, user_id, created) VALUES (?, ?, ?)",
        postgres: "INSERT INTO session (id, user_id, created) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING")
    /// A session's dataset bytes.
    static let datasetCSV = SQLQuery("SELECT csv FROM dataset WHERE session = ?")
    /// A session's dataset description.
    static let datasetInfo = SQLQuery("SELECT name, description, rows, columns FROM dataset WHERE session = ?")
    /// Stores or replaces a session's dataset.
    static let upsertDataset = SQLQuery("""
        INSERT INTO dataset (session, name, description, csv, rows, columns, uploaded) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(session) DO UPDATE SET name = excluded.name, description = excluded.description, csv = excluded.csv,
            rows = excluded.rows, columns = excluded.columns, uploaded = excluded.uploaded
        """)
    /// Removes a session's dataset.
    static let deleteDataset = SQLQuery("DELETE FROM dataset WHERE session = ?")
    /// Stores or replaces the latest code of (user, message).
    static let upsertCode = SQLQuery("""
        INSERT INTO code (user_id, message_id, code, source, updated) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(user_id, message_id) DO UPDATE SET code = excluded.code, source = excluded.source, updated = excluded.updated
        """)
    /// The latest code of (user, message).
    static let latestCode = SQLQuery("SELECT code FROM code WHERE user_id = ? AND message_id = ?")
}
