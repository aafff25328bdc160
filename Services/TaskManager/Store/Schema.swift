import Storage

/// The task index, as numbered migrations (never edit a shipped one).
///
/// One row per task: what lists and searches need (name, description, status, times), so
/// they never touch the disk. `seq` is insertion order (newest first is `seq DESC`);
/// `search` is `name + "\n" + description` lowercased (Unicode-aware, by Swift), so a
/// case-insensitive substring search is `instr(search, lower(needle))`. Version 2 indexes
/// `search` in an FTS5 trigram table (`task_search`, kept in step by triggers), so a needle
/// of three or more characters is found through the index (a trigram phrase matches
/// exactly the rows containing it), and adds a narrow index on `seq` for deep pages.
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
        Migration(version: 2, name: "search index and paging order", sql: """
            CREATE VIRTUAL TABLE task_search USING fts5(search, content='task', content_rowid='seq', tokenize='trigram');
            INSERT INTO task_search(task_search) VALUES ('rebuild');
            CREATE TRIGGER task_search_insert AFTER INSERT ON task BEGIN
                INSERT INTO task_search(rowid, search) VALUES (new.seq, new.search);
            END;
            CREATE TRIGGER task_search_delete AFTER DELETE ON task BEGIN
                INSERT INTO task_search(task_search, rowid, search) VALUES ('delete', old.seq, old.search);
            END;
            CREATE TRIGGER task_search_update AFTER UPDATE OF search ON task BEGIN
                INSERT INTO task_search(task_search, rowid, search) VALUES ('delete', old.seq, old.search);
                INSERT INTO task_search(rowid, search) VALUES (new.seq, new.search);
            END;
            CREATE INDEX task_order ON task(seq);
            """),
    ]
}
