/// One numbered schema change, applied once, in version order, in its own transaction.
///
/// Applied versions are recorded in the `schema_migrations` table. Never edit or renumber a
/// migration that has shipped; add a new one. `sql` may hold several statements but must not
/// contain its own `BEGIN`/`COMMIT`.
public struct Migration: Sendable, Hashable {
    /// Positive, unique version number; migrations run in ascending order.
    public let version: Int
    /// Short description, recorded with the version.
    public let name: String
    /// The SQL script to run.
    public let sql: String

    /// Creates a migration.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}
