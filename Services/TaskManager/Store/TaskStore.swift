import Contracts
import Foundation
import Storage

/// The task index in SQLite (`DATA_DIR/tasks.sqlite`), over the `SQLDatabase` protocol:
/// names, descriptions, statuses and times, so lists, searches and pages never read the
/// disk. The SQL is in `Queries`, the table in `Schema`.
public struct TaskStore: Sendable {
    /// The database.
    public let db: any SQLDatabase

    /// A store over an open, migrated database.
    public init(db: any SQLDatabase) { self.db = db }

    /// Opens (and migrates) the index at `path`.
    public static func open(path: String) async throws -> TaskStore {
        TaskStore(db: try await SQLiteDatabase(path: path, migrations: Schema.migrations))
    }

    /// Adds a task's row; a `do` step (the directory's move into place) runs inside the same
    /// transaction, so a row exists only for a task whose files are in place.
    public func insert(_ row: TaskRow, committing step: @escaping @Sendable () throws -> Void = {}) async throws {
        try await db.write { connection in
            _ = try connection.run(Queries.insert, row.id, row.name, row.description, row.status.rawValue,
                                   row.createdAt.timeIntervalSince1970, row.updatedAt.timeIntervalSince1970, row.searchText)
            try step()
        }
    }

    /// Adds many rows in one transaction (imports, benchmarks); no files are written.
    public func insertIndexRows(_ rows: [TaskRow]) async throws {
        try await db.write { connection in
            for row in rows {
                _ = try connection.run(Queries.insert, row.id, row.name, row.description, row.status.rawValue,
                                       row.createdAt.timeIntervalSince1970, row.updatedAt.timeIntervalSince1970, row.searchText)
            }
        }
    }

    /// One task's row, or nil.
    public func row(id: String) async throws -> TaskRow? {
        try await db.read { connection in try connection.queryOne(Queries.byID, id).map(TaskRow.init(row:)) }
    }

    /// Replaces a task's row; `step` (the files' swap) runs inside the transaction, last.
    /// False when there is no such task (then `step` does not run).
    public func update(_ row: TaskRow, committing step: @escaping @Sendable () throws -> Void = {}) async throws -> Bool {
        try await db.write { connection in
            let changed = try connection.run(Queries.update, row.name, row.description, row.status.rawValue,
                                             row.updatedAt.timeIntervalSince1970, row.searchText, row.id)
            if changed == 0 { return false }
            try step()
            return true
        }
    }

    /// Removes a task's row; false when there was none.
    public func delete(id: String) async throws -> Bool {
        try await db.write { connection in try connection.run(Queries.delete, id) > 0 }
    }

    /// One page of tasks, newest first, and how many match in all (one snapshot). A search
    /// text of three or more characters goes through the trigram index; a shorter one scans.
    public func list(_ query: TaskListQuery) async throws -> (rows: [TaskRow], total: Int) {
        let needle = query.search.map { $0.lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
        let text: Queries.TextFilter = needle == nil ? .none : (needle!.unicodeScalars.count >= 3 ? .indexed : .scanned)
        var filters: [SQLValue] = []
        if let status = query.status { filters.append(status.rawValue.sqlValue) }
        if let needle { filters.append((text == .indexed ? Queries.phrase(needle) : needle).sqlValue) }
        let countSQL = Queries.count(status: query.status != nil, text: text)
        let pageSQL = Queries.page(status: query.status != nil, text: text)
        let paging: [SQLValue] = [Int64(query.limit).sqlValue, Int64(query.offset).sqlValue]
        return try await db.read { [filters] connection in
            let total = try connection.queryOne(countSQL, parameters: filters as [any SQLBindable])?.get(0, as: Int.self) ?? 0
            if query.offset >= total { return ([], total) }
            let rows = try connection.query(pageSQL, parameters: (filters + paging) as [any SQLBindable])
            return (try rows.map(TaskRow.init(row:)), total)
        }
    }

    /// Every task id.
    public func allIDs() async throws -> Set<String> {
        try await db.read { connection in Set(try connection.query(Queries.allIDs).map { try $0.get(0, as: String.self) }) }
    }

    /// Closes the database.
    public func close() async { await db.close() }
}
