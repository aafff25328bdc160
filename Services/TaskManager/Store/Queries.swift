import Foundation

/// Every SQL statement of the task index, named. Tables are described in `Schema`.
enum Queries {
    /// The columns a `TaskRow` is read from, in its order.
    static let columns = "id, name, description, status, created_at, updated_at"

    /// Stores a new task's index row.
    static let insert = "INSERT INTO task (id, name, description, status, created_at, updated_at, search) VALUES (?, ?, ?, ?, ?, ?, ?)"
    /// One task by id.
    static let byID = "SELECT \(columns) FROM task WHERE id = ?"
    /// Replaces a task's name, description, status and update time.
    static let update = "UPDATE task SET name = ?, description = ?, status = ?, updated_at = ?, search = ? WHERE id = ?"
    /// Removes a task's row.
    static let delete = "DELETE FROM task WHERE id = ?"
    /// Every id (start-up clean-up of directories without a row).
    static let allIDs = "SELECT id FROM task"

    /// How a list filters by text.
    enum TextFilter {
        /// No text.
        case none
        /// Through the trigram index (needles of 3 characters or more).
        case indexed
        /// A scan with `instr` (shorter needles).
        case scanned
    }

    /// The `task` rows' condition of a list: by status, by text, both or neither (`AND`-joined; empty for none).
    static func condition(status: Bool, text: TextFilter) -> String {
        var parts: [String] = []
        if status { parts.append("status = ?") }
        switch text {
        case .none: break
        case .indexed: parts.append("seq IN (SELECT rowid FROM task_search WHERE task_search MATCH ?)")
        case .scanned: parts.append("instr(search, ?) > 0")
        }
        return parts.isEmpty ? "" : " WHERE " + parts.joined(separator: " AND ")
    }

    /// How many tasks match (the text index alone answers a text-only count).
    static func count(status: Bool, text: TextFilter) -> String {
        if !status && text == .indexed { return "SELECT COUNT(*) FROM task_search WHERE task_search MATCH ?" }
        return "SELECT COUNT(*) FROM task" + condition(status: status, text: text)
    }

    /// One page of matching tasks, newest first; `LIMIT ? OFFSET ?` are the last parameters.
    /// The page's `seq`s are chosen first on a narrow index (`task_order`, `task_status`, or
    /// the text index), so a deep page skips index entries, not whole rows.
    static func page(status: Bool, text: TextFilter) -> String {
        let seqs: String
        switch (status, text) {
        case (false, .none): seqs = "SELECT seq FROM task INDEXED BY task_order ORDER BY seq DESC LIMIT ? OFFSET ?"
        case (false, .indexed): seqs = "SELECT rowid FROM task_search WHERE task_search MATCH ? ORDER BY rowid DESC LIMIT ? OFFSET ?"
        default: seqs = "SELECT seq FROM task" + condition(status: status, text: text) + " ORDER BY seq DESC LIMIT ? OFFSET ?"
        }
        return "SELECT \(columns) FROM task WHERE seq IN (\(seqs)) ORDER BY seq DESC"
    }

    /// `needle` as an FTS5 phrase (double quotes doubled).
    static func phrase(_ needle: String) -> String {
        "\"" + needle.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
