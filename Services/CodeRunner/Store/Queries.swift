/// Every SQL statement of code-runner's store, named.
enum Queries {
    static let sessionOwner = "SELECT user_id FROM session WHERE id = ?"
    static let insertSession = "INSERT OR IGNORE INTO session (id, user_id, created) VALUES (?, ?, ?)"
    static let datasetCSV = "SELECT csv FROM dataset WHERE session = ?"
    static let datasetInfo = "SELECT name, description, rows, columns FROM dataset WHERE session = ?"
    static let upsertDataset = """
        INSERT INTO dataset (session, name, description, csv, rows, columns, uploaded) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(session) DO UPDATE SET name = excluded.name, description = excluded.description, csv = excluded.csv,
            rows = excluded.rows, columns = excluded.columns, uploaded = excluded.uploaded
        """
    static let deleteDataset = "DELETE FROM dataset WHERE session = ?"
    static let upsertCode = """
        INSERT INTO code (user_id, message_id, code, source, updated) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(user_id, message_id) DO UPDATE SET code = excluded.code, source = excluded.source, updated = excluded.updated
        """
    static let latestCode = "SELECT code FROM code WHERE user_id = ? AND message_id = ?"
}
