import Testing
@testable import Storage

@Suite("PostgreSQL placeholder rewriting")
struct PostgresPlaceholdersTests {
    @Test(arguments: [
        ("SELECT ?", "SELECT $1", 1),
        ("INSERT INTO t (a, b) VALUES (?, ?)", "INSERT INTO t (a, b) VALUES ($1, $2)", 2),
        ("SELECT '?', ? FROM t WHERE x = 'it''s ?' AND y = ?", "SELECT '?', $1 FROM t WHERE x = 'it''s ?' AND y = $2", 2),
        (#"SELECT "we?ird", ? FROM "t""?""#, #"SELECT "we?ird", $1 FROM "t""?""#, 1),
        ("SELECT ? -- what?\n, ?", "SELECT $1 -- what?\n, $2", 2),
        ("SELECT /* a? /* nested? */ still? */ ?", "SELECT /* a? /* nested? */ still? */ $1", 1),
        ("SELECT $$ ? $$, $tag$ ?$$? $tag$, ?", "SELECT $$ ? $$, $tag$ ?$$? $tag$, $1", 1),
        (#"SELECT E'\'?', ?"#, #"SELECT E'\'?', $1"#, 1),
        ("SELECT a$b, ?", "SELECT a$b, $1", 1),
        ("SELECT x::text FROM t WHERE id = ? LIMIT ?", "SELECT x::text FROM t WHERE id = $1 LIMIT $2", 2),
        ("SELECT 'é?漢' || ?", "SELECT 'é?漢' || $1", 1),
        ("SELECT '?", "SELECT '?", 0),
    ] as [(String, String, Int)])
    func rewritesOnlyRealPlaceholders(_ input: String, _ expected: String, _ count: Int) {
        let result = PostgresPlaceholders.rewrite(input)
        #expect(result.sql == expected)
        #expect(result.count == count)
    }

    @Test func tenOrMorePlaceholdersAreNumberedInOrder() {
        let sql = "VALUES (" + Array(repeating: "?", count: 12).joined(separator: ", ") + ")"
        let result = PostgresPlaceholders.rewrite(sql)
        #expect(result.sql == "VALUES (" + (1...12).map { "$\($0)" }.joined(separator: ", ") + ")")
        #expect(result.count == 12)
    }
}
