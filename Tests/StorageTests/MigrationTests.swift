import Foundation
import Testing
@testable import Storage

@Suite("Migrations")
struct MigrationTests {
    static let v1 = Migration(version: 1, name: "create log", sql: "CREATE TABLE log (step INTEGER, note TEXT);")
    static let v2 = Migration(version: 2, name: "step two", sql: "INSERT INTO log VALUES (2, 'two');")
    static let v3 = Migration(version: 3, name: "step three", sql: """
        ALTER TABLE log ADD COLUMN extra TEXT;
        INSERT INTO log (step, note) VALUES (3, 'three');
        """)

    func steps(_ db: SQLiteDatabase) async throws -> [Int] {
        try await db.read { conn in try conn.query("SELECT step FROM log ORDER BY rowid").map { try $0.get(0, as: Int.self) } }
    }

    @Test func runOnceInOrderAndNotRerunOnReopen() async throws {
        let tmp = TemporaryDatabasePath()
        defer { tmp.remove() }
        // Given out of order: they must still run 1, 2, 3 (v2 and v3 need v1's table).
        var db = try await SQLiteDatabase(path: tmp.path, migrations: [Self.v3, Self.v1, Self.v2])
        #expect(try await steps(db) == [2, 3])
        #expect(try await db.schemaVersion() == 3)
        let recorded = try await db.read { conn in
            try conn.query("SELECT version, name FROM schema_migrations ORDER BY version").map {
                "\(try $0.get("version", as: Int.self)):\(try $0.get("name", as: String.self))"
            }
        }
        #expect(recorded == ["1:create log", "2:step two", "3:step three"])
        await db.close()

        db = try await SQLiteDatabase(path: tmp.path, migrations: [Self.v1, Self.v2, Self.v3])
        #expect(try await steps(db) == [2, 3])  // nothing ran twice
        await db.close()
    }

    @Test func pendingMigrationsRunOnLaterOpen() async throws {
        let tmp = TemporaryDatabasePath()
        defer { tmp.remove() }
        var db = try await SQLiteDatabase(path: tmp.path, migrations: [Self.v1])
        #expect(try await db.schemaVersion() == 1)
        await db.close()
        db = try await SQLiteDatabase(path: tmp.path, migrations: [Self.v1, Self.v2, Self.v3])
        #expect(try await steps(db) == [2, 3])
        #expect(try await db.schemaVersion() == 3)
        await db.close()
    }

    @Test func newerDatabaseIsRefused() async throws {
        let tmp = TemporaryDatabasePath()
        defer { tmp.remove() }
        let db = try await SQLiteDatabase(path: tmp.path, migrations: [Self.v1, Self.v2, Self.v3])
        await db.close()
        let error = await #expect(throws: StorageError.self) {
            _ = try await SQLiteDatabase(path: tmp.path, migrations: [Self.v1, Self.v2])
        }
        #expect(error?.kind == .schemaTooNew)
        #expect(error?.message.contains("3") == true)
    }

    @Test func failingMigrationIsRolledBackAndEarlierOnesKept() async throws {
        let tmp = TemporaryDatabasePath()
        defer { tmp.remove() }
        let bad = Migration(version: 4, name: "broken", sql: """
            INSERT INTO log (step) VALUES (4);
            INSERT INTO no_such_table VALUES (1);
            """)
        let error = await #expect(throws: StorageError.self) {
            _ = try await SQLiteDatabase(path: tmp.path, migrations: [Self.v1, Self.v2, bad])
        }
        #expect(error?.message.contains("broken") == true)
        let db = try await SQLiteDatabase(path: tmp.path, migrations: [Self.v1, Self.v2])
        #expect(try await db.schemaVersion() == 2)
        #expect(try await steps(db) == [2])  // step 4's first insert was rolled back
        await db.close()
    }

    @Test func invalidMigrationListsAreRejected() async throws {
        let duplicate = await #expect(throws: StorageError.self) {
            _ = try await SQLiteDatabase(path: ":memory:", migrations: [Self.v1, Migration(version: 1, name: "again", sql: "")])
        }
        #expect(duplicate?.kind == .invalidMigrations)
        let zero = await #expect(throws: StorageError.self) {
            _ = try await SQLiteDatabase(path: ":memory:", migrations: [Migration(version: 0, name: "zero", sql: "")])
        }
        #expect(zero?.kind == .invalidMigrations)
    }
}
