import Foundation
import Testing
import TestSupport
@testable import Storage

@Suite("Migrations on SQLite and PostgreSQL")
struct MigrationTests {
    static let v1 = Migration(version: 1, name: "create log", sql: "CREATE TABLE log (step INTEGER, note TEXT);")
    static let v2 = Migration(version: 2, name: "step two", sql: "INSERT INTO log VALUES (2, 'two');")
    static let v3 = Migration(version: 3, name: "step three", sql: """
        ALTER TABLE log ADD COLUMN extra TEXT;
        INSERT INTO log (step, note) VALUES (3, 'three');
        """)

    func steps(_ db: any SQLDatabase) async throws -> [Int] {
        try await db.read { conn in try conn.query("SELECT step FROM log ORDER BY step").map { try $0.get(0, as: Int.self) } }
    }

    func version(_ db: any SQLDatabase) async throws -> Int {
        try await db.read { try $0.queryOne("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")!.get(0) }
    }

    @Test(arguments: TestBackend.allCases)
    func runOnceInOrderAndNotRerunOnReopen(_ backend: TestBackend) async throws {
        let location = try TestDatabaseLocation(backend)
        defer { location.remove() }
        // Given out of order: they must still run 1, 2, 3 (v2 and v3 need v1's table).
        var db = try await location.open(migrations: [Self.v3, Self.v1, Self.v2])
        #expect(try await steps(db) == [2, 3])
        #expect(try await version(db) == 3)
        let recorded = try await db.read { conn in
            try conn.query("SELECT version, name FROM schema_migrations ORDER BY version").map {
                "\(try $0.get("version", as: Int.self)):\(try $0.get("name", as: String.self))"
            }
        }
        #expect(recorded == ["1:create log", "2:step two", "3:step three"])
        await db.close()

        db = try await location.open(migrations: [Self.v1, Self.v2, Self.v3])
        #expect(try await steps(db) == [2, 3])  // nothing ran twice
        await db.close()
    }

    @Test(arguments: TestBackend.allCases)
    func pendingMigrationsRunOnLaterOpen(_ backend: TestBackend) async throws {
        let location = try TestDatabaseLocation(backend)
        defer { location.remove() }
        var db = try await location.open(migrations: [Self.v1])
        #expect(try await version(db) == 1)
        await db.close()
        db = try await location.open(migrations: [Self.v1, Self.v2, Self.v3])
        #expect(try await steps(db) == [2, 3])
        #expect(try await version(db) == 3)
        await db.close()
    }

    @Test(arguments: TestBackend.allCases)
    func newerDatabaseIsRefused(_ backend: TestBackend) async throws {
        let location = try TestDatabaseLocation(backend)
        defer { location.remove() }
        let db = try await location.open(migrations: [Self.v1, Self.v2, Self.v3])
        await db.close()
        let error = await #expect(throws: StorageError.self) {
            _ = try await location.open(migrations: [Self.v1, Self.v2])
        }
        #expect(error?.kind == .schemaTooNew)
        #expect(error?.message.contains("3") == true)
    }

    @Test(arguments: TestBackend.allCases)
    func failingMigrationIsRolledBackAndEarlierOnesKept(_ backend: TestBackend) async throws {
        let location = try TestDatabaseLocation(backend)
        defer { location.remove() }
        let bad = Migration(version: 4, name: "broken", sql: """
            INSERT INTO log (step) VALUES (4);
            INSERT INTO no_such_table VALUES (1);
            """)
        let error = await #expect(throws: StorageError.self) {
            _ = try await location.open(migrations: [Self.v1, Self.v2, bad])
        }
        #expect(error?.message.contains("broken") == true)
        let db = try await location.open(migrations: [Self.v1, Self.v2])
        #expect(try await version(db) == 2)
        #expect(try await steps(db) == [2])  // step 4's first insert was rolled back
        await db.close()
    }

    @Test(arguments: TestBackend.allCases)
    func eachBackendRunsItsOwnScript(_ backend: TestBackend) async throws {
        let location = try TestDatabaseLocation(backend)
        defer { location.remove() }
        let split = Migration(version: 1, name: "per dialect",
                              sqlite: "CREATE TABLE made_by (backend TEXT); INSERT INTO made_by VALUES ('sqlite');",
                              postgres: "CREATE TABLE made_by (backend TEXT); INSERT INTO made_by VALUES ('postgres');")
        let db = try await location.open(migrations: [split])
        let made = try await db.read { try $0.queryOne("SELECT backend FROM made_by")!.get(0, as: String.self) }
        #expect(made == backend.rawValue)
        await db.close()
    }

    @Test(arguments: TestBackend.allCases)
    func invalidMigrationListsAreRejected(_ backend: TestBackend) async throws {
        let location = try TestDatabaseLocation(backend)
        defer { location.remove() }
        let duplicate = await #expect(throws: StorageError.self) {
            _ = try await location.open(migrations: [Self.v1, Migration(version: 1, name: "again", sql: "")])
        }
        #expect(duplicate?.kind == .invalidMigrations)
        let zero = await #expect(throws: StorageError.self) {
            _ = try await location.open(migrations: [Migration(version: 0, name: "zero", sql: "")])
        }
        #expect(zero?.kind == .invalidMigrations)
    }
}
