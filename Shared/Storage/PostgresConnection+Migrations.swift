#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PostgresConnection {
    /// The highest applied migration version in the session's schema (0 for a fresh one).
    public func schemaVersion() throws -> Int {
        try queryOne("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")?.get(0) ?? 0
    }

    /// Creates `schema` if missing and applies the pending `migrations` (their PostgreSQL
    /// scripts) in version order, each in its own transaction, recording them in the
    /// schema's `schema_migrations`; returns the versions applied. The connection's
    /// `search_path` must be `schema`.
    ///
    /// The whole run holds a session advisory lock keyed by the schema's name, so replicas
    /// starting at once apply each migration once: the second waits, then finds nothing to
    /// do. Errors as `SQLiteConnection.migrate`: `.invalidMigrations`, `.schemaTooNew`, and a
    /// failing migration rolled back with its name in the message (earlier ones stay).
    @discardableResult
    public func migrate(_ migrations: [Migration], schema: String) throws -> [Int] {
        let sorted = try Migration.validated(migrations)
        let lockKey = "storage.migrations.\(schema)"
        try run("SELECT pg_advisory_lock(hashtext(?))", lockKey)
        defer { _ = try? run("SELECT pg_advisory_unlock(hashtext(?))", lockKey) }
        try execute("""
            CREATE SCHEMA IF NOT EXISTS \(schema);
            CREATE TABLE IF NOT EXISTS \(schema).schema_migrations (
                version BIGINT PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at DOUBLE PRECISION NOT NULL
            )
            """)
        let latestKnown = sorted.last?.version ?? 0
        let current = try schemaVersion()
        guard current <= latestKnown else {
            throw StorageError(kind: .schemaTooNew,
                               message: "schema '\(schema)' is at version \(current), newer than the latest migration this code knows (\(latestKnown)); refusing to open it")
        }
        var applied: [Int] = []
        for migration in sorted where migration.version > current {
            try transaction(.write(.readCommitted)) { conn in
                do {
                    try conn.execute(migration.sql(for: .postgres))
                } catch let error as StorageError {
                    throw StorageError(kind: error.kind, code: error.code, extendedCode: error.extendedCode,
                                       sqlState: error.sqlState,
                                       message: "migration \(migration.version) '\(migration.name)' failed: \(error.message)",
                                       sql: error.sql)
                }
                try conn.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                             migration.version, migration.name, Date())
            }
            applied.append(migration.version)
        }
        return applied
    }
}
