import Foundation
import Testing
@testable import Storage

@Suite("Typed binding and decoding")
struct SQLValueTests {
    let conn: SQLiteConnection

    init() throws {
        conn = try SQLiteConnection(path: ":memory:")
        try conn.execute("CREATE TABLE v (x)")
    }

    /// Inserts `value`, reads it back as `T` and returns it together with SQLite's typeof().
    func roundTrip<T: SQLBindable & SQLDecodable>(_ value: T) throws -> (T, String) {
        try conn.run("DELETE FROM v")
        try conn.run("INSERT INTO v (x) VALUES (?)", value)
        let row = try #require(try conn.queryOne("SELECT x, typeof(x) AS t FROM v"))
        return (try row.get("x", as: T.self), try row.get("t"))
    }

    @Test func integers() throws {
        #expect(try roundTrip(Int.max) == (Int.max, "integer"))
        #expect(try roundTrip(Int.min) == (Int.min, "integer"))
        #expect(try roundTrip(Int64(-42)) == (-42, "integer"))
        #expect(try roundTrip(Int32.max) == (Int32.max, "integer"))
        #expect(try roundTrip(0) == (0, "integer"))
    }

    @Test func doublesAndBools() throws {
        #expect(try roundTrip(3.141592653589793) == (3.141592653589793, "real"))
        #expect(try roundTrip(-0.5) == (-0.5, "real"))
        #expect(try roundTrip(Double.greatestFiniteMagnitude).0 == Double.greatestFiniteMagnitude)
        #expect(try roundTrip(true) == (true, "integer"))
        #expect(try roundTrip(false) == (false, "integer"))
    }

    @Test func unicodeText() throws {
        let samples = ["", "plain", "héllo wörld", "日本語のテキスト", "emoji 👩‍👩‍👧‍👦 🇫🇷", "e\u{301} combining",
                       "nul\u{0}inside", "quote ' and \" and \\", String(repeating: "ß", count: 10_000)]
        for s in samples {
            let (back, type) = try roundTrip(s)
            #expect(back == s)
            #expect(back.utf8.count == s.utf8.count)
            #expect(type == "text")
        }
    }

    @Test func blobsWithZeroBytes() throws {
        let bytes: [UInt8] = [0, 1, 0, 255, 0, 0, 127, 0]
        #expect(try roundTrip(bytes) == (bytes, "blob"))
        let big = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        // Compared outside `#expect`: on a mismatch it would diff the 100 kB for a long time.
        let intact = try roundTrip(big).0 == big
        #expect(intact)
        // An empty blob is a blob, not NULL.
        #expect(try roundTrip([UInt8]()) == ([], "blob"))
    }

    @Test func nullAndOptionals() throws {
        #expect(try roundTrip(Int?.none) == (nil, "null"))
        #expect(try roundTrip(String?.none) == (nil, "null"))
        #expect(try roundTrip([UInt8]?.none) == (nil, "null"))
        #expect(try roundTrip(Optional("x")) == ("x", "text"))
        #expect(try roundTrip(Optional(7)) == (7, "integer"))
        #expect(try roundTrip(SQLValue.null) == (.null, "null"))
        // NULL into a non-optional is an error, not a default value.
        try conn.run("DELETE FROM v")
        try conn.run("INSERT INTO v (x) VALUES (?)", SQLValue.null)
        let row = try #require(try conn.queryOne("SELECT x FROM v"))
        #expect(throws: StorageError.self) { try row.get(0, as: Int.self) }
        #expect(try row.get(0, as: Int?.self) == nil)
    }

    @Test func datesAsUnixSeconds() throws {
        let date = Date(timeIntervalSince1970: 1_700_000_000.25)
        #expect(try roundTrip(date) == (date, "real"))
        // Integers decode as whole seconds.
        let row = try #require(try conn.queryOne("SELECT 86400"))
        #expect(try row.get(0, as: Date.self) == Date(timeIntervalSince1970: 86_400))
    }

    @Test func foundationData() throws {
        let data = Data([0, 0, 9, 0])
        #expect(try roundTrip(data) == (data, "blob"))
    }

    @Test func uuids() throws {
        let u = UUID()
        #expect(try roundTrip(u) == (u, "text"))
    }

    @Test func typeMismatchThrowsNamingTheColumn() throws {
        let row = try #require(try conn.queryOne("SELECT 'abc' AS name, 1.5 AS score, x'00' AS data"))
        let error = #expect(throws: StorageError.self) { try row.get("name", as: Int.self) }
        #expect(error?.kind == .typeMismatch)
        #expect(error?.message.contains("name") == true)
        #expect(throws: StorageError.self) { try row.get("score", as: Int.self) }
        #expect(throws: StorageError.self) { try row.get("data", as: String.self) }
        #expect(throws: StorageError.self) { try row.get("name", as: [UInt8].self) }
        #expect(try row.get("score", as: Double.self) == 1.5)
        let missing = #expect(throws: StorageError.self) { try row.get("nope", as: Int.self) }
        #expect(missing?.kind == .columnNotFound)
        #expect(throws: StorageError.self) { try row.get(3, as: Int.self) }
    }

    @Test func rowAccessByIndexAndName() throws {
        let row = try #require(try conn.queryOne("SELECT 1 AS a, 'two' AS B, NULL AS c"))
        #expect(row.columnNames == ["a", "B", "c"])
        #expect(row[0] == .integer(1))
        #expect(row["B"] == .text("two"))
        #expect(row["b"] == .text("two"))  // case-insensitive like SQLite
        #expect(row["c"] == .null)
        #expect(row["d"] == nil)
        #expect(try row.get("a", as: Int.self) == 1)
    }
}
