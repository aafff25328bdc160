import Foundation
import Testing
@testable import Storage

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

    @Test func writeRollsBackOnThrowAndStaysUsable() async throws {
        try await withDatabase { db, _ in
            await #expect(throws: Boom.self) {
                try await db.write { conn in
                    try conn.run("INSERT INTO items (name) VALUES (?)", "ghost")
                    throw Boom()
                }
            }
            #expect(try await count(db) == 0)
            let absent = try await db.read { try $0.queryOne("SELECT id FROM items WHERE name = ?", "ghost") == nil }
            #expect(absent)
            // Still usable: the next write commits.
            let id = try await db.write { conn -> Int64 in
                try conn.run("INSERT INTO items (name) VALUES (?)", "real")
                return conn.lastInsertRowID
            }
            #expect(id == 1)
            #expect(try await count(db) == 1)
        }
    }

    @Test func constraintErrorFromNestedCallMapsToUniqueViolation() async throws {
        @Sendable func insert(_ conn: any SQLConnection, _ name: String) throws {
            try conn.run("INSERT INTO items (name) VALUES (?)", name)
        }
        try await withDatabase { db, _ in
            try await db.write { try insert($0, "dup") }
            let error = await #expect(throws: StorageError.self) {
                try await db.write { conn in
                    try insert(conn, "first-of-failed-tx")
                    try insert(conn, "dup")
                }
            }
            #expect(error?.isUniqueViolation == true)
            #expect(StorageError.isUniqueViolation(try #require(error)))
            // The whole transaction was rolled back, including the first insert.
            #expect(try await count(db) == 1)
        }
    }

    @Test func concurrentWritesFromManyTasksAllLand() async throws {
        try await withDatabase { db, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<100 {
                    group.addTask {
                        for i in 0..<10 {
                            try await db.write { try $0.run("INSERT INTO items (name) VALUES (?)", "t\(task)-\(i)") }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await count(db) == 1_000)
        }
    }

    @Test func concurrentClaimsSucceedExactlyOnce() async throws {
        try await withDatabase { db, _ in
            try await db.write { conn in
                for i in 0..<200 { try conn.run("INSERT INTO items (name) VALUES (?)", "u\(i)") }
            }
            let wins = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        var won = 0
                        for id in 1...200 {
                            won += try await db.write {
                                try $0.run("UPDATE items SET status = 'pending' WHERE id = ? AND status = 'todo'", id)
                            }
                        }
                        return won
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(wins == 200)
        }
    }

    @Test func readsSeeOnlyCommittedData() async throws {
        try await withDatabase { db, path in
            // Another connection holds an uncommitted insert: pooled readers must not see it.
            let other = try SQLiteConnection(path: path)
            try other.setBusyTimeout(milliseconds: 5_000)
            try other.execute("BEGIN IMMEDIATE")
            try other.run("INSERT INTO items (name) VALUES ('uncommitted')")
            #expect(try await count(db) == 0)
            try other.execute("COMMIT")
            #expect(try await count(db) == 1)
            other.close()

            // Writers insert rows in pairs; concurrent readers must always see an even count
            // that never goes backwards.
            let violations = try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask {
                    for i in 0..<300 {
                        try await db.write { conn in
                            try conn.run("INSERT INTO items (name) VALUES (?)", "a\(i)")
                            try conn.run("INSERT INTO items (name) VALUES (?)", "b\(i)")
                        }
                    }
                    return 0
                }
                for _ in 0..<8 {
                    group.addTask {
                        var last = 0
                        var bad = 0
                        for _ in 0..<100 {
                            let n = try await count(db)
                            if (n - 1) % 2 != 0 || n < last { bad += 1 }
                            last = n
                        }
                        return bad
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(violations == 0)
            #expect(try await count(db) == 601)
        }
    }

    @Test func readersAreReadOnly() async throws {
        try await withDatabase { db, _ in
            let error = await #expect(throws: StorageError.self) {
                try await db.read { try $0.run("INSERT INTO items (name) VALUES ('x')") }
            }
            #expect(error?.kind == .sqlite)
            let n = try await count(db)
            #expect(n == 0)
        }
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

    @Test func dataSurvivesCloseAndReopen() async throws {
        let tmp = TemporaryDatabasePath()
        defer { tmp.remove() }
        let blob: [UInt8] = [0, 1, 2, 0]
        do {
            let db = try await SQLiteDatabase(path: tmp.path, migrations: Self.schema)
            try await db.write { conn in
                try conn.execute("CREATE TABLE extra (b BLOB)")
                try conn.run("INSERT INTO items (name) VALUES (?)", "kept ✓")
                try conn.run("INSERT INTO extra VALUES (?)", blob)
            }
            await db.close()
            await #expect(throws: StorageError.self) { try await db.read { _ in 1 } }
            await #expect(throws: StorageError.self) { try await db.write { _ in 1 } }
        }
        let db = try await SQLiteDatabase(path: tmp.path, migrations: Self.schema)
        let name = try await db.read { try $0.queryOne("SELECT name FROM items")!.get(0, as: String.self) }
        let back = try await db.read { try $0.queryOne("SELECT b FROM extra")!.get(0, as: [UInt8].self) }
        #expect(name == "kept ✓")
        #expect(back == blob)
        await db.close()
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

    @Test func manyConcurrentReadsShareTheSmallPool() async throws {
        try await withDatabase(options: SQLiteOptions(readerCount: 2)) { db, _ in
            try await db.write { try $0.run("INSERT INTO items (name) VALUES ('r')") }
            let total = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<200 { group.addTask { try await count(db) } }
                return try await group.reduce(0, +)
            }
            #expect(total == 200)
        }
    }
}
