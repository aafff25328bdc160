import Storage

/// Every SQL statement of the task index, named, as `SQLQuery`s: one text where SQLite and
/// PostgreSQL agree, one per dialect where they differ (the text search: SQLite's FTS5
/// trigram table and `instr`, PostgreSQL's `LIKE` served by a `pg_trgm` index and
/// `strpos`; SQLite's `INDEXED BY`). Both take the lowercased needle itself as the
/// parameter: the FTS5 phrase and the `LIKE` pattern are made from it in SQL. Tables are
/// described in `Schema`.
enum Queries {
    /// The columns a `TaskRow` is read from, in its order.
    static let columns = "id, name, description, status, created_at, updated_at"

    /// Stores a new task's index row.
    static let insert = SQLQuery("INSERT INTO task (id, name, description, status, created_at, updated_at, search) VALUES (?, ?, ?, ?, ?, ?, ?)")
    /// One task by id.
    static let byID = SQLQuery("SELECT \(columns) FROM task WHERE id = ?")
    /// One task by id, with its update version last.
    static let byIDWithVersion = SQLQuery("SELECT \(columns), version FROM task WHERE id = ?")
    /// Replaces a task's name, description, status and update time, raising its version,
    /// only if its version is still the one read (the last parameter).
    static let update = SQLQuery("""
        UPDATE task SET name = ?, description = ?, status = ?, updated_at = ?, search = ?, version = version + 1
        WHERE id = ? AND version = ?
        """)
    /// Whether a task exists (after an update that changed nothing).
    static let exists = SQLQuery("SELECT 1 FROM task WHERE id = ?")
    /// Removes a task's row.
    static let delete = SQLQuery("DELETE FROM task WHERE id = ?")
    /// Every id (start-up clean-up of directories without a row).
    static let allIDs = SQLQuery("SELECT id FROM task")
    /// Whether the text search has its index (one row when it has).
    static let searchIndex = SQLQuery(
        sqlite: "SELECT 1 FROM sqlite_master WHERE name = 'task_search'",
        postgres: "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'task_search_trigram'")

    /// How a list filters by text.
    enum TextFilter {
        /// No text.
        case none
        /// Through the trigram index (needles of 3 characters or more).
        case indexed
        /// A scan (shorter needles).
        case scanned
    }

    /// SQLite: the needle as an FTS5 phrase (double quotes doubled).
    static let ftsPhrase = "'\"' || replace(?, '\"', '\"\"') || '\"'"
    /// PostgreSQL: the needle as a `LIKE` pattern matching it anywhere (`\`, `%`, `_` escaped).
    static let likeAnywhere = #"'%' || replace(replace(replace(?, '\', '\\'), '%', '\%'), '_', '\_') || '%'"#

    /// The `task` rows' condition of a list in `dialect`: by status, by text, both or
    /// neither (`AND`-joined; empty for none).
    static func condition(status: Bool, text: TextFilter, _ dialect: SQLDialect) -> String {
        var parts: [String] = []
        if status { parts.append("status = ?") }
        switch (text, dialect) {
        case (.none, _): break
        case (.indexed, .sqlite): parts.append("seq IN (SELECT rowid FROM task_search WHERE task_search MATCH \(ftsPhrase))")
        case (.indexed, .postgres): parts.append("search LIKE \(likeAnywhere)")
        case (.scanned, .sqlite): parts.append("instr(search, ?) > 0")
        case (.scanned, .postgres): parts.append("strpos(search, ?) > 0")
        }
        return parts.isEmpty ? "" : " WHERE " + parts.joined(separator: " AND ")
    }

    /// How many tasks match (on SQLite the text index alone answers a text-only count).
    static func count(status: Bool, text: TextFilter) -> SQLQuery {
        SQLQuery(
            sqlite: !status && text == .indexed
                ? "SELECT COUNT(*) FROM task_search WHERE task_search MATCH \(ftsPhrase)"
                : "SELECT COUNT(*) FROM task" + condition(status: status, text: text, .sqlite),
            postgres: "SELECT COUNT(*) FROM task" + condition(status: status, text: text, .postgres))
    }

    /// One page of matching tasks, newest first; `LIMIT ? OFFSET ?` are the last parameters.
    /// The page's `seq`s are chosen first on a narrow index (`task_order`, `task_status`, or
    /// the text index), so a deep page skips index entries, not whole rows.
    static func page(status: Bool, text: TextFilter) -> SQLQuery {
        let sqliteSeqs: String
        switch (status, text) {
        case (false, .none): sqliteSeqs = "SELECT seq FROM task INDEXED BY task_order ORDER BY seq DESC LIMIT ? OFFSET ?"
        case (false, .indexed): sqliteSeqs = "SELECT rowid FROM task_search WHERE task_search MATCH \(ftsPhrase) ORDER BY rowid DESC LIMIT ? OFFSET ?"
        default: sqliteSeqs = "SELECT seq FROM task" + condition(status: status, text: text, .sqlite) + " ORDER BY seq DESC LIMIT ? OFFSET ?"
        }
        let postgresSeqs = "SELECT seq FROM task" + condition(status: status, text: text, .postgres) + " ORDER BY seq DESC LIMIT ? OFFSET ?"
        return SQLQuery(sqlite: "SELECT \(columns) FROM task WHERE seq IN (\(sqliteSeqs)) ORDER BY seq DESC",
                        postgres: "SELECT \(columns) FROM task WHERE seq IN (\(postgresSeqs)) ORDER BY seq DESC")
    }
}
