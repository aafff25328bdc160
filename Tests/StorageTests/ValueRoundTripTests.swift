import Foundation
import Testing
import TestSupport
@testable import Storage

/// Every `SQLValue` goes in through a parameter and comes back unchanged, on both backends.
@Suite("Value round trips on SQLite and PostgreSQL")
struct ValueRoundTripTests {
    static let schema = [
        Migration(version: 1, name: "values",
                  sqlite: "CREATE TABLE v (k INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB)",
                  postgres: "CREATE TABLE v (k BIGINT PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, t TEXT, b BYTEA)"),
    ]

    static let integers: [Int64] = [0, 1, -1, 42, Int64(Int32.max) + 1, Int64.max, Int64.min, Int64.min + 1]
    static let reals: [Double] = [0, -0.5, 3.141592653589793, 1e-300, 1.7976931348623157e308, -2.5e-10,
                                  .infinity, -.infinity, 0.1 + 0.2]
    static let texts: [String] = ["", "plain", "quote ' and \" and ? and $1 and -- not a comment",
                                  "unicode: é 漢字 🙂 \u{10FFFF}", String(repeating: "long ", count: 20_000)]
    static let blobs: [[UInt8]] = [[], [0], Array(0...255), Array((0...255).reversed()) + [0, 0]]

    @Test(arguments: TestBackend.allCases)
    func everyValueComesBackUnchanged(_ backend: TestBackend) async throws {
        try await TestDatabaseLocation.with(backend, migrations: Self.schema) { db, _ in
            let count = max(Self.integers.count, Self.reals.count, Self.texts.count, Self.blobs.count)
            try await db.write { conn in
                for k in 0..<count {
                    try conn.run("INSERT INTO v (k, i, r, t, b) VALUES (?, ?, ?, ?, ?)", k,
                                 k < Self.integers.count ? Self.integers[k].sqlValue : .null,
                                 k < Self.reals.count ? Self.reals[k].sqlValue : .null,
                                 k < Self.texts.count ? Self.texts[k].sqlValue : .null,
                                 k < Self.blobs.count ? Self.blobs[k].sqlValue : .null)
                }
            }
            let rows = try await db.read { try $0.query("SELECT k, i, r, t, b FROM v ORDER BY k") }
            #expect(rows.count == count)
            for (k, row) in rows.enumerated() {
                #expect(try row.get("i", as: Int64?.self) == (k < Self.integers.count ? Self.integers[k] : nil))
                #expect(try row.get("r", as: Double?.self) == (k < Self.reals.count ? Self.reals[k] : nil))
                #expect(try row.get("t", as: String?.self) == (k < Self.texts.count ? Self.texts[k] : nil))
                #expect(try row.get("b", as: [UInt8]?.self) == (k < Self.blobs.count ? Self.blobs[k] : nil))
            }
            // Parameters compare as their types: an integer, a real, a blob in WHERE.
            let byInteger = try await db.read { try $0.queryOne("SELECT k FROM v WHERE i = ?", Int64.min)?.get(0, as: Int.self) }
            #expect(byInteger == Self.integers.firstIndex(of: Int64.min))
            let byBlob = try await db.read { try $0.queryOne("SELECT k FROM v WHERE b = ?", Array(UInt8(0)...255))?.get(0, as: Int.self) }
            #expect(byBlob == 2)
            // An empty blob is not NULL, an empty text is not NULL.
            let emptyBlobIsNull = try await db.read { try $0.queryOne("SELECT b IS NULL FROM v WHERE k = 0")!.get(0, as: Bool.self) }
            #expect(!emptyBlobIsNull)
            // Booleans come back as integers 0/1 on both backends.
            let flags = try await db.read { try $0.queryOne("SELECT 1 = 1, 1 = 2")! }
            #expect(flags.values == [.integer(1), .integer(0)])
        }
    }

    @Test(arguments: TestBackend.allCases)
    func parameterCountMismatchIsRefused(_ backend: TestBackend) async throws {
        try await TestDatabaseLocation.with(backend, migrations: Self.schema) { db, _ in
            let error = await #expect(throws: StorageError.self) {
                try await db.read { try $0.query("SELECT k FROM v WHERE k = ? AND i = ?", 1) }
            }
            #expect(error?.kind == .invalidStatement)
        }
    }
}
