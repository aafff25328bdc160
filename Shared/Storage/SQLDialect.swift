/// The SQL dialect a database speaks: which text of a `SQLQuery` or `Migration` it runs.
///
/// Services never branch on it themselves: SQL that differs between the backends is written
/// once per dialect in a named `SQLQuery` (or a `Migration`), and the connection picks the
/// text for its own dialect.
public enum SQLDialect: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// SQLite 3 (`SQLiteDatabase`).
    case sqlite
    /// PostgreSQL (`PostgresDatabase`).
    case postgres

    /// `"sqlite"` or `"postgres"`.
    public var description: String { rawValue }
}
