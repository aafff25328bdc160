/// One named SQL statement with its text for each dialect: the way services keep SQL that
/// differs between SQLite and PostgreSQL, without `if` branches at the call sites.
///
/// Each service's `Store/Queries.swift` declares its statements as `static let`s; portable
/// ones give one text, the others one per dialect. Call sites pass the query to the
/// connection, which runs the text of its own dialect:
/// ```swift
/// enum Queries {
///     static let userByName = SQLQuery("SELECT id, name FROM users WHERE name = ?")
///     static let insertUser = SQLQuery(
///         sqlite: "INSERT INTO users (name) VALUES (?) RETURNING id",
///         postgres: "INSERT INTO users (name) VALUES (?) RETURNING id")
///     static let sessionsBeyondNewest = SQLQuery(
///         sqlite: "SELECT rowid, hash FROM sessions WHERE key_id = ? ORDER BY rowid DESC LIMIT -1 OFFSET ?",
///         postgres: "SELECT seq, hash FROM sessions WHERE key_id = ? ORDER BY seq DESC OFFSET ?")
/// }
/// let id: Int64 = try conn.queryOne(Queries.insertUser, name)!.get(0)
/// ```
/// Both texts use `?` placeholders, in the same order and number.
public struct SQLQuery: Sendable, Hashable {
    /// The text run by SQLite.
    public let sqlite: String
    /// The text run by PostgreSQL.
    public let postgres: String

    /// A portable statement: the same text on both backends.
    public init(_ portable: String) {
        sqlite = portable
        postgres = portable
    }

    /// A statement whose text differs per dialect.
    public init(sqlite: String, postgres: String) {
        self.sqlite = sqlite
        self.postgres = postgres
    }

    /// The text for `dialect`.
    public func sql(for dialect: SQLDialect) -> String {
        switch dialect {
        case .sqlite: sqlite
        case .postgres: postgres
        }
    }
}
