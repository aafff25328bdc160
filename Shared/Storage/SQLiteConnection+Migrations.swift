#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension SQLiteConnection {
    /// The highest applied migration version (0 for a fresh database).
    public func schemaVersion() throws -> Int {
        try createMigrationsTable()
        return try queryOne("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")?.get(0) ?? 0
    }

    /// Applies the pending `migrations` in version order, each in its own `BEGIN IMMEDIATE`
    /// transaction, and returns the versions applied.
    ///
    /// Throws `.invalidMigrations` for duplicate or non-positive versions and `.schemaTooNew`
    /// when the database has a version above the highest one in `migrations` (code older
    /// than the data). A failing migration is rolled back and its error rethrown with the
    /// migration named in the message; earlier migrations stay applied.
    @discardableResult
    public func migrate(_ migrations: [Migration]) throws -> [Int] {
        let sorted = try Migration.validated(migrations)
        let latestKnown = sorted.last?.version ?? 0
        let current = try schemaVersion()
        guard current <= latestKnown else {
            throw StorageError(kind: .schemaTooNew,
                               message: "database '\(path)' is at schema version \(current), newer than the latest migration this code knows (\(latestKnown)); refusing to open it")
        }
        var applied: [Int] = []
        for migration in sorted {
            let done = try transaction(.immediate) { conn -> Bool in
                // Re-checked inside the write lock: another process may have applied it.
                if try conn.queryOne("SELECT 1 FROM schema_migrations WHERE version = ?", migration.version) != nil {
                    return false
                }
                do {
                    try conn.execute(migration.sql(for: .sqlite))
                } catch let error as StorageError {
                    throw StorageError(kind: error.kind, code: error.code, extendedCode: error.extendedCode,
                                       sqlState: error.sqlState, message: "migration \(migration.version) '\(migration.name)' failed: \(error.message)",
                                       sql: error.sql)
                }
                try conn.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                             migration.version, migration.name, Date())
                return true
            }
            if done { applied.append(migration.version) }
        }
        return applied
    }

    private func createMigrationsTable() throws {
        try execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at REAL NOT NULL
            )
            """)
    }
}
