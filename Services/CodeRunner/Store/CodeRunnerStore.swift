import Foundation
import ServiceKit
import Storage

/// Sessions (who owns which id), datasets and the latest code per message, in SQLite
/// (`DATA_DIR/code-runner.sqlite`), so a restart loses nothing. The SQL is in `Queries`.
final class CodeRunnerStore: Sendable {
    /// The database.
    let db: any SQLDatabase

    /// A store over `db` (already migrated).
    init(db: any SQLDatabase) { self.db = db }

    /// Opens (creating and migrating) the database in `directory`.
    static func open(directory: URL) async throws -> CodeRunnerStore {
        let path = directory.appendingPathComponent("code-runner.sqlite").path
        return CodeRunnerStore(db: try await SQLiteDatabase(path: path, migrations: Schema.migrations))
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
        }
    }

    /// Goes back to the built-in sample.
    func removeDataset(session: String) async throws {
        try await db.write { conn in _ = try conn.run(Queries.deleteDataset, session) }
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
