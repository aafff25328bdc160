import Testing
@testable import Storage

@Suite("DATABASE_URL")
struct DatabaseLocationTests {
    @Test func picksTheBackendByScheme() throws {
        #expect(try DatabaseLocation(databaseURL: nil, defaultSQLitePath: "data/x.sqlite") == .sqlite(path: "data/x.sqlite"))
        #expect(try DatabaseLocation(databaseURL: "  ", defaultSQLitePath: "d.sqlite") == .sqlite(path: "d.sqlite"))
        #expect(try DatabaseLocation(databaseURL: "sqlite:/var/lib/x.sqlite", defaultSQLitePath: "d") == .sqlite(path: "/var/lib/x.sqlite"))
        #expect(try DatabaseLocation(databaseURL: "postgres://u:p@db:5432/app", defaultSQLitePath: "d")
                == .postgres(url: "postgres://u:p@db:5432/app"))
        #expect(try DatabaseLocation(databaseURL: "postgresql:///app?host=/run/pg", defaultSQLitePath: "d").dialect == .postgres)
        for bad in ["mysql://u@h/db", "sqlite:", "/just/a/path"] {
            let error = #expect(throws: StorageError.self) { try DatabaseLocation(databaseURL: bad, defaultSQLitePath: "d") }
            #expect(error?.kind == .invalidConfiguration)
        }
    }

    @Test func passwordsNeverShow() throws {
        let location = try DatabaseLocation(databaseURL: "postgres://app:s3cret@db:5432/aidevtools?sslmode=require",
                                            defaultSQLitePath: "d")
        #expect(location.description == "postgres://app:***@db:5432/aidevtools?sslmode=require")
        #expect(!DatabaseLocation.redacted("postgresql://db/app?user=a&password=hunter2&x=1").contains("hunter2"))
        #expect(DatabaseLocation.redacted("postgres://app@db/x") == "postgres://app@db/x")
        let error = #expect(throws: StorageError.self) { try DatabaseLocation(databaseURL: "pg://app:topsecret@h/db", defaultSQLitePath: "d") }
        #expect(error?.message.contains("topsecret") == false)
    }

    @Test func schemaNamesAreChecked() async throws {
        for bad in ["", "Upper", "1digit", "with-dash", "semi;colon", String(repeating: "a", count: 64)] {
            let error = await #expect(throws: StorageError.self) {
                _ = try await PostgresDatabase(url: "postgres://127.0.0.1:1/none", schema: bad)
            }
            #expect(error?.kind == .invalidConfiguration)
        }
    }
}
