import Foundation
import ServiceKit
import Storage

/// Sessions (who owns which id), datasets and the latest code per message, in SQLite
/// (`DATA_DIR/code-runner.sqlite`) or, with `DATABASE_URL=postgres://…`, in PostgreSQL
/// schema `code_runner`, so a restart loses nothing and every replica sees the same
/// sessions, datasets and code. The SQL is in `Queries`, the tables in `Schema`.
///
/// A dataset change (upload, reset) is announced on `datasetChannel` when it commits, so
/// every replica stops its kernel of that session (the next run loads the new dataset).
final class CodeRunnerStore: Sendable {
    /// The database.
    let db: any SQLDatabase

    /// A store over `db` (already migrated).
    init(db: any SQLDatabase) { self.db = db }

    /// The SQLite file's name under DATA_DIR.
    static let fileName = "code-runner.sqlite"
    /// The PostgreSQL schema holding the store's tables.
    static let postgresSchema = "code_runner"
    /// The notification channel of dataset changes (payload: the session id).
    static let datasetChannel = "dataset_changed"

    /// Opens (creating and migrating) the SQLite database in `directory`.
    static func open(directory: URL) async throws -> CodeRunnerStore {
        try await open(.sqlite(path: directory.appendingPathComponent(fileName).path))
    }

    /// Opens (and migrates) the store at `location`, with `poolSize` connections on
    /// PostgreSQL, in `schema` (tests use one of their own).
    static func open(_ location: DatabaseLocation, poolSize: Int = 4, schema: String = postgresSchema) async throws -> CodeRunnerStore {
        CodeRunnerStore(db: try await location.open(schema: schema, migrations: Schema.migrations,
                                                    postgresOptions: PostgresOptions(poolSize: poolSize, applicationName: "code-runner")))
    }

    /// The sessions whose dataset changed (on any replica, PostgreSQL), from now on: a
    /// session id, or nil when changes may have been missed (every kernel is suspect).
    func datasetChanges() async throws -> AsyncStream<String?> {
        let notifications = try await db.listen(channel: Self.datasetChannel)
        return AsyncStream { continuation in
            let task = Task {
                for await notification in notifications {
                    switch notification {
                    case .payload(let session): continuation.yield(session)
                    case .possiblyMissed: continuation.yield(nil)
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private static var now: Int { Int(Date().timeIntervalSince1970) }

    /// Claims `session` for `user` when nobody has it; true when `user` owns it (now or before).
    func claim(session: String, user: String) async throws -> Bool {
        try await db.write { conn in
            _ = try conn.run(Queries.insertSession, session, user, Self.now)
            return try conn.queryOne(Queries.sessionOwner, session)?.get(0, as: String.self) == user
        }
    }

    /// The session's dataset as CSV text, nil for the built-in sample.
    func datasetCSV(session: String) async throws -> String? {
        try await db.read { conn in
            guard let bytes = try conn.queryOne(Queries.datasetCSV, session)?.get(0, as: [UInt8].self) else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// The session's dataset description, nil for the built-in sample.
    func dataset(session: String) async throws -> StoredDataset? {
        try await db.read { conn in
            guard let row = try conn.queryOne(Queries.datasetInfo, session) else { return nil }
            let columns = try JSON.decode([String].self, from: Array(try row.get(3, as: String.self).utf8))
            return StoredDataset(name: try row.get(0), description: try row.get(1), rows: try row.get(2), columns: columns)
        }
    }

    /// Replaces the session's dataset.
    func putDataset(session: String, csv: String, info: StoredDataset) async throws {
        let columns = String(decoding: try JSON.encode(info.columns), as: UTF8.self)
        try await db.write { conn in
            _ = try conn.run(Queries.upsertDataset, session, info.name, info.description, Array(csv.utf8), info.rows, columns, Self.now)
            try conn.notify(channel: Self.datasetChannel, payload: session)
        }
    }

    /// Goes back to the built-in sample.
    func removeDataset(session: String) async throws {
        try await db.write { conn in
            _ = try conn.run(Queries.deleteDataset, session)
            try conn.notify(channel: Self.datasetChannel, payload: session)
        }
    }

    /// Stores `code` as the latest of (user, message).
    func putCode(user: String, message: Int, code: String, source: String) async throws {
        try await db.write { conn in _ = try conn.run(Queries.upsertCode, user, message, code, source, Self.now) }
    }

    /// The latest code of (user, message), nil when none.
    func latestCode(user: String, message: Int) async throws -> String? {
        try await db.read { conn in try conn.queryOne(Queries.latestCode, user, message)?.get(0, as: String.self) }
    }

    /// Closes the database.
    func close() async { await db.close() }
}
