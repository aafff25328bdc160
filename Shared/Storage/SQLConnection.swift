/// The backend-neutral surface of one database connection, as seen inside
/// `SQLDatabase.read` and `SQLDatabase.write` closures.
///
/// Parameters use `?` placeholders (the PostgreSQL backend rewrites them to `$1, $2, ...`).
/// Keep SQL portable where it costs nothing: prefer `INSERT ... RETURNING` (SQLite ≥ 3.35
/// and PostgreSQL) and `ON CONFLICT ... DO UPDATE` over backend-specific forms. SQL that
/// differs goes into a named `SQLQuery` with a text per dialect; every method here also
/// takes a `SQLQuery` and runs the text of the connection's `dialect`.
/// A connection is not `Sendable`: it is only valid inside the closure it was given to.
public protocol SQLConnection: AnyObject {
    /// The SQL dialect of this connection's database.
    var dialect: SQLDialect { get }

    /// Runs a script of one or more statements without parameters (DDL, pragmas).
    func execute(_ sql: String) throws

    /// Runs one statement with `parameters` and returns the number of rows it changed.
    @discardableResult
    func run(_ sql: String, parameters: [any SQLBindable]) throws -> Int

    /// Runs one query and returns all of its rows.
    func query(_ sql: String, parameters: [any SQLBindable]) throws -> [Row]

    /// Runs one query and returns its first row, or `nil` when there is none.
    func queryOne(_ sql: String, parameters: [any SQLBindable]) throws -> Row?

    /// Runs one query and calls `body` for each row as it is produced, without
    /// materialising the whole result (for big results). Throw from `body` to stop early.
    func forEach(_ sql: String, parameters: [any SQLBindable], _ body: (Row) throws -> Void) throws

    /// The row id of the most recent successful `INSERT` on this connection. On PostgreSQL
    /// see `PostgresConnection.lastInsertRowID`; portable code reads ids with
    /// `INSERT ... RETURNING id`.
    var lastInsertRowID: Int64 { get }

    /// Sends `payload` to the listeners of `channel` (`SQLDatabase.listen(channel:)`) when
    /// this write transaction commits; nothing is sent if it rolls back. Only inside
    /// `SQLDatabase.write` (elsewhere it throws `.invalidStatement`). Channel names: 1–63 of
    /// `[a-z0-9_]`, not starting with a digit. PostgreSQL delivers to every process using
    /// the same schema; SQLite to this process only.
    func notify(channel: String, payload: String) throws
}

extension SQLConnection {
    /// Runs one statement with the given parameters and returns the number of rows changed.
    @discardableResult
    public func run(_ sql: String, _ parameters: any SQLBindable...) throws -> Int {
        try run(sql, parameters: parameters)
    }

    /// Runs one query with the given parameters and returns all of its rows.
    public func query(_ sql: String, _ parameters: any SQLBindable...) throws -> [Row] {
        try query(sql, parameters: parameters)
    }

    /// Default: the first row of `forEach` (reads and discards the rest).
    public func queryOne(_ sql: String, parameters: [any SQLBindable]) throws -> Row? {
        var first: Row?
        try forEach(sql, parameters: parameters) { row in
            if first == nil { first = row }
        }
        return first
    }

    /// Runs one query with the given parameters and returns its first row, if any.
    public func queryOne(_ sql: String, _ parameters: any SQLBindable...) throws -> Row? {
        try queryOne(sql, parameters: parameters)
    }

    /// Runs one query and calls `body` for each row as it is produced.
    public func forEach(_ sql: String, _ parameters: any SQLBindable..., body: (Row) throws -> Void) throws {
        try forEach(sql, parameters: parameters, body)
    }
}
