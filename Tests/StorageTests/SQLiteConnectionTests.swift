import Foundation
import Testing
@testable import Storage

@Suite("SQLiteConnection")
struct SQLiteConnectionTests {
    @Test func runQueryAndLastInsertRowID() throws {
        let conn = try SQLiteConnection(path: ":memory:")
        try conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL); CREATE INDEX t_name ON t(name);")
        #expect(try conn.run("INSERT INTO t (name) VALUES (?)", "a") == 1)
        #expect(conn.lastInsertRowID == 1)
        try conn.run("INSERT INTO t (name) VALUES (?)", "b")
        #expect(conn.lastInsertRowID == 2)
        #expect(try conn.run("UPDATE t SET name = ? WHERE id > ?", "z", 0) == 2)
        let rows = try conn.query("SELECT id, name FROM t ORDER BY id")
        #expect(rows.map { try! $0.get("id", as: Int.self) } == [1, 2])
        #expect(try conn.queryOne("SELECT name FROM t WHERE id = ?", 99) == nil)
    }

    @Test func uniqueAndPrimaryKeyViolationsAreDistinguishable() throws {
        let conn = try SQLiteConnection(path: ":memory:")
        try conn.execute("""
            CREATE TABLE p (id INTEGER PRIMARY KEY);
            CREATE TABLE u (id TEXT PRIMARY KEY, email TEXT UNIQUE, n INTEGER NOT NULL, pid INTEGER REFERENCES p(id));
            PRAGMA foreign_keys=ON;
            """)
        try conn.run("INSERT INTO u (id, email, n) VALUES ('a', 'x@y', 1)")
        let dupEmail = #expect(throws: StorageError.self) {
            try conn.run("INSERT INTO u (id, email, n) VALUES (?, ?, ?)", "b", "x@y", 1)
        }
        #expect(dupEmail?.isUniqueViolation == true)
        #expect(dupEmail?.code == 19)
        #expect(dupEmail?.extendedCode == 2067)
        #expect(dupEmail?.sql?.contains("INSERT INTO u") == true)
        let dupPK = #expect(throws: StorageError.self) {
            try conn.run("INSERT INTO u (id, email, n) VALUES (?, ?, ?)", "a", "other", 1)
        }
        #expect(dupPK?.isUniqueViolation == true)
        #expect(dupPK?.extendedCode == 1555)
        let notNull = #expect(throws: StorageError.self) {
            try conn.run("INSERT INTO u (id, email, n) VALUES (?, ?, ?)", "c", "c@y", Int?.none)
        }
        #expect(notNull?.isConstraintViolation == true)
        #expect(notNull?.isUniqueViolation == false)
        let fk = #expect(throws: StorageError.self) {
            try conn.run("INSERT INTO u (id, email, n, pid) VALUES (?, ?, ?, ?)", "d", "d@y", 1, 42)
        }
        #expect(fk?.isForeignKeyViolation == true)
        #expect(fk?.isUniqueViolation == false)
        let syntax = #expect(throws: StorageError.self) { try conn.run("SELEC 1") }
        #expect(syntax?.kind == .sqlite)
        #expect(syntax?.isConstraintViolation == false)
    }

    @Test func statementCacheIsReusedAndSurvivesSchemaChanges() throws {
        let conn = try SQLiteConnection(path: ":memory:")
        try conn.execute("CREATE TABLE t (a INTEGER)")
        try conn.run("INSERT INTO t VALUES (1)")
        let first = try conn.prepare("SELECT * FROM t")
        #expect(try conn.prepare("SELECT * FROM t") === first)
        #expect(try conn.query("SELECT * FROM t").first?.columnNames == ["a"])

        // Add a column: the cached SELECT * must now return two columns, by name.
        try conn.execute("ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'new'")
        let afterAlter = try #require(try conn.queryOne("SELECT * FROM t"))
        #expect(afterAlter.columnNames == ["a", "b"])
        #expect(try afterAlter.get("b", as: String.self) == "new")

        // Drop and recreate with different columns: still correct.
        try conn.execute("DROP TABLE t; CREATE TABLE t (x TEXT, y TEXT, z TEXT); INSERT INTO t VALUES ('1', '2', '3');")
        let afterRecreate = try #require(try conn.queryOne("SELECT * FROM t"))
        #expect(afterRecreate.columnNames == ["x", "y", "z"])
        #expect(try afterRecreate.get("z", as: String.self) == "3")

        // Dropping the table makes the cached statement fail cleanly, not crash.
        try conn.execute("DROP TABLE t")
        #expect(throws: StorageError.self) { try conn.query("SELECT * FROM t") }
        #expect(conn.cachedStatementCount >= 1)
    }

    @Test func statementCacheIsBounded() throws {
        let conn = try SQLiteConnection(path: ":memory:", statementCacheCapacity: 8)
        for i in 0..<50 { _ = try conn.queryOne("SELECT \(i)") }
        #expect(conn.cachedStatementCount <= 8)
    }

    @Test func forEachIsLazyAndAllowsNestedUseOfTheSameSQL() throws {
        let conn = try SQLiteConnection(path: ":memory:")
        try conn.execute("CREATE TABLE n (i INTEGER)")
        try conn.transaction(.immediate) { c in
            for i in 0..<1_000 { try c.run("INSERT INTO n VALUES (?)", i) }
        }
        var sum = 0
        try conn.forEach("SELECT i FROM n ORDER BY i") { sum += try $0.get(0, as: Int.self) }
        #expect(sum == 499_500)

        // Stop early by throwing.
        struct Stop: Error {}
        var seen = 0
        #expect(throws: Stop.self) {
            try conn.forEach("SELECT i FROM n ORDER BY i") { _ in
                seen += 1
                if seen == 3 { throw Stop() }
            }
        }
        #expect(seen == 3)

        // The same SQL inside its own iteration gets a fresh statement.
        var pairs = 0
        try conn.forEach("SELECT i FROM n WHERE i < ?", 3) { _ in
            pairs += try conn.query("SELECT i FROM n WHERE i < ?", 3).count
        }
        #expect(pairs == 9)
    }

    @Test func parameterCountAndMultipleStatementsAreRejected() throws {
        let conn = try SQLiteConnection(path: ":memory:")
        let wrongCount = #expect(throws: StorageError.self) { try conn.query("SELECT ?, ?", 1) }
        #expect(wrongCount?.kind == .invalidStatement)
        let twoStatements = #expect(throws: StorageError.self) { try conn.run("SELECT 1; SELECT 2") }
        #expect(twoStatements?.kind == .invalidStatement)
        #expect(try conn.queryOne("SELECT 1;  ") != nil)  // a trailing semicolon is fine
        #expect(try conn.queryOne("SELECT 1; -- trailing comment") != nil)
    }

    @Test func closedConnectionThrows() throws {
        let conn = try SQLiteConnection(path: ":memory:")
        conn.close()
        let error = #expect(throws: StorageError.self) { try conn.query("SELECT 1") }
        #expect(error?.kind == .closed)
    }

    @Test func transactionRollsBackOnThrow() throws {
        let conn = try SQLiteConnection(path: ":memory:")
        try conn.execute("CREATE TABLE t (a INTEGER)")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try conn.transaction(.immediate) { c in
                try c.run("INSERT INTO t VALUES (1)")
                throw Boom()
            }
        }
        #expect(!conn.isInTransaction)
        #expect(try conn.query("SELECT * FROM t").isEmpty)
    }
}
