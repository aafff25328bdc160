/// The one error type of the Storage module.
///
/// Errors that come from SQLite carry its primary result `code` (e.g. 19 for
/// `SQLITE_CONSTRAINT`), the `extendedCode` (e.g. 2067 for `SQLITE_CONSTRAINT_UNIQUE`),
/// SQLite's message and the SQL text that failed. Use `isUniqueViolation` to map
/// duplicate keys to HTTP 409.
public struct StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, broadly.
    public enum Kind: Sendable, Equatable {
        /// SQLite returned an error; see `code`, `extendedCode` and `message`.
        case sqlite
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
    }

    /// What went wrong, broadly.
    public let kind: Kind
    /// SQLite primary result code (`extendedCode & 0xFF`); 0 when the error is not from SQLite.
    public let code: Int32
    /// SQLite extended result code; 0 when the error is not from SQLite.
    public let extendedCode: Int32
    /// Human-readable message (SQLite's own for `.sqlite`).
    public let message: String
    /// The SQL text involved, when there is one.
    public let sql: String?

    /// Creates an error; `code` defaults to the primary part of `extendedCode`.
    public init(kind: Kind, code: Int32? = nil, extendedCode: Int32 = 0, message: String, sql: String? = nil) {
        self.kind = kind
        self.extendedCode = extendedCode
        self.code = code ?? (extendedCode & 0xFF)
        self.message = message
        self.sql = sql
    }

    /// A UNIQUE or PRIMARY KEY constraint was violated (a duplicate key: HTTP 409).
    public var isUniqueViolation: Bool {
        extendedCode == Self.constraintUnique || extendedCode == Self.constraintPrimaryKey
    }

    /// Any constraint was violated (UNIQUE, PRIMARY KEY, FOREIGN KEY, NOT NULL, CHECK, ...).
    public var isConstraintViolation: Bool { kind == .sqlite && code == 19 }

    /// A FOREIGN KEY constraint was violated.
    public var isForeignKeyViolation: Bool { extendedCode == Self.constraintForeignKey }

    /// The database was busy or locked beyond the busy timeout.
    public var isBusy: Bool { kind == .sqlite && (code == 5 || code == 6) }

    /// `true` when `error` is a `StorageError` whose `isUniqueViolation` is `true`.
    public static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? StorageError)?.isUniqueViolation ?? false
    }

    /// One line: kind, codes, message and SQL.
    public var description: String {
        var s = "StorageError.\(kind)"
        if kind == .sqlite { s += " (code \(code), extended \(extendedCode))" }
        s += ": \(message)"
        if let sql { s += " [SQL: \(sql)]" }
        return s
    }

    static let constraintPrimaryKey: Int32 = 1555  // SQLITE_CONSTRAINT | (6<<8)
    static let constraintUnique: Int32 = 2067      // SQLITE_CONSTRAINT | (8<<8)
    static let constraintForeignKey: Int32 = 787   // SQLITE_CONSTRAINT | (3<<8)
}
