import Foundation
import Storage

/// A fresh, empty database for one test, on either backend: a new SQLite file, or a new
/// schema (`t_<random>`) on the PostgreSQL server named by `TEST_DATABASE_URL`. Open it as
/// often as the test needs (several opens share the data, as replicas would), then
/// `remove()` it.
///
/// `deploy/test` starts a throwaway cluster and sets `TEST_DATABASE_URL`. When it is not
/// set, the PostgreSQL cases **fail** (with `TestDatabaseUnavailable`, which says how to get
/// one) rather than being skipped: a green run always means both backends were tested.
public struct TestDatabaseLocation: Sendable {
    /// The backend.
    public let backend: TestBackend
    /// Where the database is.
    public let location: DatabaseLocation
    /// The PostgreSQL schema (also used, harmlessly, for SQLite).
    public let schema: String

    /// The environment variable naming the test server.
    public static let urlVariable = "TEST_DATABASE_URL"

    /// A new location on `backend`; throws `TestDatabaseUnavailable` for `.postgres`
    /// without `TEST_DATABASE_URL`.
    public init(_ backend: TestBackend) throws {
        self.backend = backend
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        schema = "t_\(suffix)"
        switch backend {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("storage-test-\(suffix).sqlite").path
            location = .sqlite(path: path)
        case .postgres:
            location = .postgres(url: try Self.serverURL())
        }
    }

    /// `TEST_DATABASE_URL`, or `TestDatabaseUnavailable`.
    public static func serverURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment[urlVariable], !url.isEmpty else {
            throw TestDatabaseUnavailable()
        }
        return url
    }

    /// Opens the database (applying `migrations`); small pools, to keep the server's
    /// connection count low when many tests run at once.
    public func open(migrations: [Migration] = [], postgresOptions: PostgresOptions = PostgresOptions(poolSize: 2),
                     sqliteOptions: SQLiteOptions = SQLiteOptions(readerCount: 2)) async throws -> any SQLDatabase {
        try await location.open(schema: schema, migrations: migrations, sqliteOptions: sqliteOptions,
                                postgresOptions: postgresOptions)
    }

    /// A raw connection to the same database, outside any pool (PostgreSQL: its session's
    /// `search_path` is the test's schema). For tests that need a second session.
    public func rawPostgresConnection() throws -> PostgresConnection {
        guard case .postgres(let url) = location else { preconditionFailure("not a PostgreSQL location") }
        return try PostgresConnection(url: url, searchPath: schema)
    }

    /// Deletes the database: the SQLite file with its `-wal`/`-shm`, or the schema with
    /// everything in it.
    public func remove() {
        switch location {
        case .sqlite(let path):
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        case .postgres(let url):
            if let connection = try? PostgresConnection(url: url) {
                try? connection.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE")
                connection.close()
            }
        }
    }
}

extension TestDatabaseLocation {
    /// Opens a fresh database on `backend` with `migrations`, runs `body`, then closes and
    /// removes it (also when `body` throws).
    public static func with(_ backend: TestBackend, migrations: [Migration],
                            postgresOptions: PostgresOptions = PostgresOptions(poolSize: 2),
                            _ body: (any SQLDatabase, TestDatabaseLocation) async throws -> Void) async throws {
        try await withStore(backend, open: { try await $0.open(migrations: migrations, postgresOptions: postgresOptions) },
                            close: { await $0.close() }, body)
    }

    /// Opens a service's store (`open`) on a fresh database on `backend`, runs `body`, then
    /// closes the store and removes the database (also when `body` throws).
    public static func withStore<Store>(_ backend: TestBackend,
                                        open: (TestDatabaseLocation) async throws -> Store,
                                        close: (Store) async -> Void,
                                        _ body: (Store, TestDatabaseLocation) async throws -> Void) async throws {
        let location = try TestDatabaseLocation(backend)
        defer { location.remove() }
        let store = try await open(location)
        do {
            try await body(store, location)
        } catch {
            await close(store)
            throw error
        }
        await close(store)
    }
}
