import Storage

/// The task index, as numbered migrations (never edit a shipped one).
///
/// One row per task: what lists and searches need (name, description, status, times), so
/// they never touch the disk. `seq` is insertion order (newest first is `seq DESC`);
/// `search` is `name + "\n" + description` lowercased (Unicode-aware, by Swift), so a
/// case-insensitive substring search is `instr(search, lower(needle))`.
enum Schema {
    static let migrations: [Migration] = [
        Migration(version: 1, name: "tasks", sql: """
            CREATE TABLE task (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                description TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL,
                search TEXT NOT NULL
            );
            CREATE INDEX task_status ON task(status, seq);
            """),
    ]
}
