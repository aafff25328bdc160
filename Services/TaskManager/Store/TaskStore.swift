import Contracts
import Foundation
import Storage

/// The task index in SQLite (`DATA_DIR/tasks.sqlite`) or, with `DATABASE_URL=postgres://…`,
/// in PostgreSQL schema `task_manager`, over the `SQLDatabase` protocol: names,
/// descriptions, statuses and times, so lists, searches and pages never read the disk.
/// The SQL is in `Queries`, the table in `Schema`.
///
/// The `committing` steps (file moves) run inside the write transaction. PostgreSQL may
/// run a write closure again (a serialization failure); each step runs at most once per
/// call (`StepOnce`), so a retried transaction never moves a directory twice.
public struct TaskStore: Sendable {
    /// The database.
    public let db: any SQLDatabase

    /// A store over an open, migrated database.
    public init(db: any SQLDatabase) { self.db = db }

    /// The PostgreSQL schema holding the index.
    public static let postgresSchema = "task_manager"

    /// Opens (and migrates) the index at `path`.
    public static func open(path: String) async throws -> TaskStore {
        try await open(.sqlite(path: path))
    }

    /// Opens (and migrates) the index at `location`, with `poolSize` connections on
    /// PostgreSQL, in `schema` (tests use one of their own).
    public static func open(_ location: DatabaseLocation, poolSize: Int = 4, schema: String = postgresSchema) async throws -> TaskStore {
        TaskStore(db: try await location.open(schema: schema, migrations: Schema.migrations,
                                              postgresOptions: PostgresOptions(poolSize: poolSize, applicationName: "task-manager")))
    }

    /// Whether searches of three or more characters go through an index (false on
    /// PostgreSQL without `pg_trgm`: the same rows, found by scanning).
    public func hasSearchIndex() async throws -> Bool {
        try await db.read { connection in try connection.queryOne(Queries.searchIndex) != nil }
    }

    /// Adds a task's row; a `do` step (the directory's move into place) runs inside the same
    /// transaction, so a row exists only for a task whose files are in place.
    public func insert(_ row: TaskRow, committing step: @escaping @Sendable () throws -> Void = {}) async throws {
        let once = StepOnce(step)
        try await db.write { connection in
            _ = try connection.run(Queries.insert, row.id, row.name, row.description, row.status.rawValue,
                                   row.createdAt.timeIntervalSince1970, row.updatedAt.timeIntervalSince1970, row.searchText)
            try once.run()
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

    /// One task's row and its update version (what `update(_:expecting:committing:)` is
    /// given back), or nil.
    public func versionedRow(id: String) async throws -> (row: TaskRow, version: Int64)? {
        try await db.read { connection in
            try connection.queryOne(Queries.byIDWithVersion, id).map { (try TaskRow(row: $0), try $0.get(6, as: Int64.self)) }
        }
    }

    /// Replaces a task's row if its version is still `version` (raising it); `step` (the
    /// files' swap) then runs inside the transaction, last, at most once. Otherwise nothing
    /// changes and `step` does not run: `.changed` when another writer updated the task
    /// since it was read, `.missing` when there is no such task.
    public func update(_ row: TaskRow, expecting version: Int64,
                       committing step: @escaping @Sendable () throws -> Void = {}) async throws -> TaskUpdateOutcome {
        let once = StepOnce(step)
        return try await db.write { connection in
            let changed = try connection.run(Queries.update, row.name, row.description, row.status.rawValue,
                                             row.updatedAt.timeIntervalSince1970, row.searchText, row.id, version)
            if changed == 0 { return try connection.queryOne(Queries.exists, row.id) == nil ? .missing : .changed }
            try once.run()
            return .updated
        }
    }

    /// Removes a task's row; `step` (the directory's move aside) then runs inside the
    /// transaction, at most once, and its result is returned. Nil when there was no row
    /// (then `step` does not run).
    public func delete<T: Sendable>(id: String, committing step: @escaping @Sendable () throws -> T) async throws -> T? {
        let once = StepOnce(step)
        return try await db.write { connection in
            guard try connection.run(Queries.delete, id) > 0 else { return nil }
            return try once.run()
        }
    }

    /// One page of tasks, newest first, and how many match in all (one snapshot). A search
    /// text of three or more characters goes through the trigram index; a shorter one scans.
    public func list(_ query: TaskListQuery) async throws -> (rows: [TaskRow], total: Int) {
        let needle = query.search.map { $0.lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
        let text: Queries.TextFilter = needle == nil ? .none : (needle!.unicodeScalars.count >= 3 ? .indexed : .scanned)
        var filters: [SQLValue] = []
        if let status = query.status { filters.append(status.rawValue.sqlValue) }
        if let needle { filters.append(needle.sqlValue) }
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
