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

    /// The `WHERE` of a list: by status, by search text, both or neither.
    static func condition(status: Bool, search: Bool) -> String {
        switch (status, search) {
        case (false, false): ""
        case (true, false): " WHERE status = ?"
        case (false, true): " WHERE instr(search, ?) > 0"
        case (true, true): " WHERE status = ? AND instr(search, ?) > 0"
        }
    }

    /// How many tasks match, per filter combination.
    static func count(status: Bool, search: Bool) -> String {
        "SELECT COUNT(*) FROM task" + condition(status: status, search: search)
    }

    /// One page of matching tasks, newest first: `LIMIT ? OFFSET ?` are the last parameters.
    static func page(status: Bool, search: Bool) -> String {
        "SELECT \(columns) FROM task" + condition(status: status, search: search) + " ORDER BY seq DESC LIMIT ? OFFSET ?"
    }
}
