/// The one error type of the Storage module, for both backends.
///
/// Errors that come from SQLite have kind `.sqlite` and carry its primary result `code`
/// (e.g. 19 for `SQLITE_CONSTRAINT`) and `extendedCode` (e.g. 2067 for
/// `SQLITE_CONSTRAINT_UNIQUE`). Errors that come from PostgreSQL have kind `.postgres` and
/// carry the server's five-character `sqlState` (e.g. `23505`, unique violation); their
/// constraint violations also carry the SQLite codes of the same violation, so code written
/// against either backend sees the same numbers. Both carry the engine's message and the SQL
/// text that failed.
///
/// Test errors through the backend-neutral predicates — `isUniqueViolation` (map duplicate
/// keys to HTTP 409), `isConstraintViolation`, `isForeignKeyViolation`, `isBusy`,
/// `isSerializationFailure`, `isConnectionFailure` — rather than through codes, and the
/// same handling works on both backends.
public struct StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, broadly.
    public enum Kind: Sendable, Equatable {
        /// SQLite returned an error; see `code`, `extendedCode` and `message`.
        case sqlite
        /// PostgreSQL (or libpq) returned an error; see `sqlState` and `message`.
        case postgres
        /// A column value could not be decoded as the requested Swift type.
        case typeMismatch
        /// No column with the requested name or index.
        case columnNotFound
        /// The number of parameters does not match the statement's placeholders, or a
        /// prepared statement held more than one SQL statement.
        case invalidStatement
        /// The database's schema version is newer than the latest migration the code knows.
        case schemaTooNew
        /// The list of migrations is invalid (duplicate or non-positive versions).
        case invalidMigrations
        /// The connection or database has been closed.
        case closed
        /// A setting is invalid: a malformed `DATABASE_URL`, schema or channel name.
        case invalidConfiguration
    }

    /// What went wrong, broadly.
    public let kind: Kind
    /// SQLite primary result code (`extendedCode & 0xFF`); for a PostgreSQL constraint
    /// violation, SQLite's code for the same violation (19); 0 otherwise.
    public let code: Int32
    /// SQLite extended result code; for a PostgreSQL constraint violation, SQLite's extended
    /// code for the same violation (2067 unique, 787 foreign key, 1299 not null, 275 check);
    /// 0 otherwise.
    public let extendedCode: Int32
    /// PostgreSQL's SQLSTATE (`23505`, `40001`, ...); `nil` for other errors, and for a lost
    /// connection (libpq reports none; see `isConnectionFailure`).
    public let sqlState: String?
    /// Human-readable message (the engine's own for `.sqlite` and `.postgres`).
    public let message: String
    /// The SQL text involved, when there is one.
    public let sql: String?

    /// Creates an error; `code` defaults to the primary part of `extendedCode`.
    public init(kind: Kind, code: Int32? = nil, extendedCode: Int32 = 0, sqlState: String? = nil,
                message: String, sql: String? = nil) {
        self.kind = kind
        self.extendedCode = extendedCode
        self.code = code ?? (extendedCode & 0xFF)
        self.sqlState = sqlState
        self.message = message
        self.sql = sql
    }

    /// A UNIQUE or PRIMARY KEY constraint was violated (a duplicate key: HTTP 409).
    public var isUniqueViolation: Bool {
        extendedCode == Self.constraintUnique || extendedCode == Self.constraintPrimaryKey || sqlState == "23505"
    }

    /// Any constraint was violated (UNIQUE, PRIMARY KEY, FOREIGN KEY, NOT NULL, CHECK, ...).
    public var isConstraintViolation: Bool {
        (kind == .sqlite && code == 19) || (kind == .postgres && sqlState?.hasPrefix("23") == true)
    }

    /// A FOREIGN KEY constraint was violated.
    public var isForeignKeyViolation: Bool { extendedCode == Self.constraintForeignKey || sqlState == "23503" }

    /// The database was busy or locked beyond the busy timeout (SQLite), or a lock wait or
    /// statement ran past its timeout (PostgreSQL `55P03`, `57014`).
    public var isBusy: Bool {
        (kind == .sqlite && (code == 5 || code == 6)) || sqlState == "55P03" || sqlState == "57014"
    }

    /// PostgreSQL aborted the transaction to keep it serializable (`40001`) or to break a
    /// deadlock (`40P01`): running it again may succeed. `PostgresDatabase.write` and `read`
    /// retry these themselves, a bounded number of times.
    public var isSerializationFailure: Bool { sqlState == "40001" || sqlState == "40P01" }

    /// The connection to the PostgreSQL server was lost or could not be made (SQLSTATE class
    /// `08`, an administrator's termination `57P01`–`57P03`, or libpq's own report of a broken
    /// connection).
    public var isConnectionFailure: Bool {
        kind == .postgres && (sqlState == nil || sqlState?.hasPrefix("08") == true
                              || sqlState == "57P01" || sqlState == "57P02" || sqlState == "57P03")
    }

    /// A write was attempted in a read-only transaction or on a read-only connection
    /// (SQLite `SQLITE_READONLY`, PostgreSQL `25006`).
    public var isReadOnlyViolation: Bool { (kind == .sqlite && code == 8) || sqlState == "25006" }

    /// `true` when `error` is a `StorageError` whose `isUniqueViolation` is `true`.
    public static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? StorageError)?.isUniqueViolation ?? false
    }

    /// One line: kind, codes, message and SQL.
    public var description: String {
        var s = "StorageError.\(kind)"
        if kind == .sqlite { s += " (code \(code), extended \(extendedCode))" }
        if kind == .postgres, let sqlState { s += " (SQLSTATE \(sqlState))" }
        s += ": \(message)"
        if let sql { s += " [SQL: \(sql)]" }
        return s
    }

    static let constraintPrimaryKey: Int32 = 1555  // SQLITE_CONSTRAINT | (6<<8)
    static let constraintUnique: Int32 = 2067      // SQLITE_CONSTRAINT | (8<<8)
    static let constraintForeignKey: Int32 = 787   // SQLITE_CONSTRAINT | (3<<8)
    static let constraintNotNull: Int32 = 1299     // SQLITE_CONSTRAINT | (5<<8)
    static let constraintCheck: Int32 = 275        // SQLITE_CONSTRAINT | (1<<8)
}
