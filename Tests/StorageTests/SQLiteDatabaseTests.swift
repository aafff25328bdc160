import Foundation
import Testing
@testable import Storage

/// What only SQLite has (WAL, pragmas, in-memory databases); the `SQLDatabase` contract
/// itself is tested on both backends by `DatabaseTests`.
@Suite("SQLiteDatabase")
struct SQLiteDatabaseTests {
    static let schema = [
        Migration(version: 1, name: "items", sql: """
            CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, status TEXT NOT NULL DEFAULT 'todo');
            """),
    ]

    struct Boom: Error {}

    /// Opens a fresh file database, runs `body`, then closes and deletes it.
    func withDatabase(options: SQLiteOptions = SQLiteOptions(), _ body: (SQLiteDatabase, String) async throws -> Void) async throws {
        let tmp = TemporaryDatabasePath()
        defer { tmp.remove() }
        let db = try await SQLiteDatabase(path: tmp.path, options: options, migrations: Self.schema)
        do {
            try await body(db, tmp.path)
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }

    func count(_ db: some SQLDatabase) async throws -> Int {
        try await db.read { try $0.queryOne("SELECT COUNT(*) FROM items")!.get(0) }
    }

    @Test func walModeIsOnForFileDatabases() async throws {
        try await withDatabase { db, _ in
            let mode = try await db.withWriterConnection { try $0.queryOne("PRAGMA journal_mode")!.get(0, as: String.self) }
            #expect(mode == "wal")
            let readerMode = try await db.read { try $0.queryOne("PRAGMA journal_mode")!.get(0, as: String.self) }
            #expect(readerMode == "wal")
            let fk = try await db.withWriterConnection { try $0.queryOne("PRAGMA foreign_keys")!.get(0, as: Int.self) }
            #expect(fk == 1)
            let sync = try await db.withWriterConnection { try $0.queryOne("PRAGMA synchronous")!.get(0, as: Int.self) }
            #expect(sync == 1)  // NORMAL
        }
        try await withDatabase(options: SQLiteOptions(synchronous: .full)) { db, _ in
            let sync = try await db.withWriterConnection { try $0.queryOne("PRAGMA synchronous")!.get(0, as: Int.self) }
            #expect(sync == 2)  // FULL
        }
    }

    @Test func inMemoryDatabaseWorksWithReadsRoutedToTheWriter() async throws {
        let db = try await SQLiteDatabase(path: ":memory:", migrations: Self.schema)
        try await db.write { try $0.run("INSERT INTO items (name) VALUES ('m')") }
        #expect(try await count(db) == 1)
        await #expect(throws: Boom.self) {
            try await db.write { conn in
                try conn.run("INSERT INTO items (name) VALUES ('gone')")
                throw Boom()
            }
        }
        #expect(try await count(db) == 1)
        await db.close()
    }
}
