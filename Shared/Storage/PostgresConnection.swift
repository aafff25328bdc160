import CPostgres
#if canImport(Glibc)
import Glibc
#endif

/// One PostgreSQL connection through libpq: `?` statements prepared once per connection
/// (and per parameter types), typed binding, results decoded into `SQLValue`s.
///
/// Not `Sendable`: a connection is checked out of `PostgresDatabase`'s pool by one task at
/// a time. Calls block the calling thread for the round trip to the server (like SQLite's
/// calls block for the disk); the pool itself never blocks a thread while waiting.
///
/// - Placeholders are `?`, rewritten to `$n` (see `PostgresPlaceholders` for what is skipped).
/// - Parameters: integers bind as `int8`, reals as `float8`, blobs as `bytea`; text and
///   `NULL` leave the type to the server. So a column read or written with `Bool` must be an
///   integer column (`SMALLINT`/`INTEGER`) on PostgreSQL as on SQLite.
/// - `forEach` and `queryOne` read the whole result into libpq's memory first (rows are
///   decoded one at a time as they are handed to `body`).
/// - `lastInsertRowID`: see its documentation; portable code uses `INSERT ... RETURNING id`.
public final class PostgresConnection: SQLConnection, PoolableConnection {
    /// `.postgres`.
    public let dialect: SQLDialect = .postgres
    /// How many prepared statements are kept; beyond that they are all deallocated.
    public var statementCacheCapacity: Int
    private var handle: OpaquePointer?
    private let redactedURL: String
    private var statements: [String: String] = [:]
    private var rewritten: [String: (sql: String, count: Int)] = [:]
    private var statementCounter = 0
    private var lastInserted: Int64?
    private var lastInsertNeedsLookup = false
    /// An error to throw at the next statement (set when a non-throwing accessor failed).
    private var deferredError: StorageError?
    /// The schema notification channels are scoped by (see `PostgresListener`).
    let notificationScope: String?
    /// Whether `notify(channel:payload:)` is allowed: inside a write (a transaction or a
    /// single statement) only.
    var notificationsAllowed = false
    /// Set when the connection failed while `COMMIT` was in flight: the outcome is unknown,
    /// so the transaction must not be re-run.
    var commitOutcomeUnknown = false
    /// Statements still allowed in a single-statement write (`TransactionMode.singleStatement`);
    /// nil outside one.
    var statementsAllowed: Int?

    /// Connects to `url` (a `postgres://` or `postgresql://` URL, or a libpq key=value
    /// string). With `searchPath`, every session (including after a reconnect) resolves
    /// unqualified names in that schema, and notification channels are scoped by it.
    /// Notices are discarded (never printed to stderr).
    public init(url: String, searchPath: String? = nil, applicationName: String? = nil,
                connectTimeoutSeconds: Int = 10, statementCacheCapacity: Int = 256) throws {
        var keywords = ["dbname", "client_encoding", "connect_timeout"]
        var values = [url, "UTF8", String(connectTimeoutSeconds)]
        if let searchPath {
            keywords.append("options")
            values.append("-c search_path=\(searchPath)")
        }
        if let applicationName {
            keywords.append("application_name")
            values.append(applicationName)
        }
        let conn = Self.connect(keywords: keywords, values: values)
        self.redactedURL = DatabaseLocation.redacted(url)
        guard let conn, PQstatus(conn) == CONNECTION_OK else {
            let message = conn.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(conn)
            throw StorageError(kind: .postgres, message: "cannot connect to \(DatabaseLocation.redacted(url)): \(Self.trimmed(message))")
        }
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        self.handle = conn
        self.statementCacheCapacity = statementCacheCapacity
        self.notificationScope = searchPath
    }

    private static func connect(keywords: [String], values: [String]) -> OpaquePointer? {
        let keys = keywords.map { UnsafePointer<CChar>(strdup($0)) }
        let vals = values.map { UnsafePointer<CChar>(strdup($0)) }
        defer {
            for pointer in keys + vals { free(UnsafeMutablePointer(mutating: pointer)) }
        }
        return (keys + [nil]).withUnsafeBufferPointer { keyBuffer in
            (vals + [nil]).withUnsafeBufferPointer { valueBuffer in
                PQconnectdbParams(keyBuffer.baseAddress, valueBuffer.baseAddress, 1)
            }
        }
    }

    deinit { close() }

    /// Closes the connection; later calls throw `.closed`. Idempotent.
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
        statements.removeAll()
    }

    /// `true` until `close()`.
    public var isOpen: Bool { handle != nil }

    /// The server process serving this connection (`pg_backend_pid()`), 0 when closed.
    public var backendPID: Int32 { handle.map { PQbackendPID($0) } ?? 0 }

    /// The `PGconn*` handle, for calls this type does not wrap.
    public func rawHandle() throws -> OpaquePointer {
        guard let handle else { throw StorageError(kind: .closed, message: "connection is closed") }
        return handle
    }

    /// Re-establishes a broken connection (`PQreset`, same parameters): called before each
    /// transaction, so a connection the server dropped while it sat in the pool is replaced
    /// on its next use. Prepared statements are forgotten (the new session has none).
    func ensureConnected() throws {
        let conn = try rawHandle()
        guard PQstatus(conn) != CONNECTION_OK else { return }
        statements.removeAll()
        PQreset(conn)
        guard PQstatus(conn) == CONNECTION_OK else {
            throw StorageError(kind: .postgres, message: "cannot reconnect to \(redactedURL): \(Self.trimmed(String(cString: PQerrorMessage(conn))))")
        }
    }

    /// Re-establishes the connection unconditionally (`PQreset`).
    func reconnect() throws {
        let conn = try rawHandle()
        statements.removeAll()
        PQreset(conn)
        guard PQstatus(conn) == CONNECTION_OK else {
            throw StorageError(kind: .postgres, message: "cannot reconnect to \(redactedURL): \(Self.trimmed(String(cString: PQerrorMessage(conn))))")
        }
    }

    /// `true` when libpq considers the connection healthy.
    public var isConnected: Bool { handle.map { PQstatus($0) == CONNECTION_OK } ?? false }

    /// `true` while a transaction is open (or failed and not yet rolled back).
    public var isInTransaction: Bool {
        guard let handle else { return false }
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    // MARK: - SQLConnection

    /// Runs a script of statements separated by `;` (no parameters) through the simple
    /// query protocol.
    public func execute(_ sql: String) throws {
        let result = try simple(sql)
        PQclear(result)
    }

    /// Runs one statement and returns the number of rows it changed (`PQcmdTuples`).
    @discardableResult
    public func run(_ sql: String, parameters: [any SQLBindable]) throws -> Int {
        let result = try prepared(sql, parameters)
        defer { PQclear(result) }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    /// Runs one query and returns all rows.
    public func query(_ sql: String, parameters: [any SQLBindable]) throws -> [Row] {
        let result = try prepared(sql, parameters)
        defer { PQclear(result) }
        let columns = Self.columns(of: result)
        return (0..<PQntuples(result)).map { Row(values: Self.values(of: result, row: $0, columns: columns.names.count), columns: columns) }
    }

    /// Runs one query and returns its first row, or `nil`.
    public func queryOne(_ sql: String, parameters: [any SQLBindable]) throws -> Row? {
        let result = try prepared(sql, parameters)
        defer { PQclear(result) }
        guard PQntuples(result) > 0 else { return nil }
        let columns = Self.columns(of: result)
        return Row(values: Self.values(of: result, row: 0, columns: columns.names.count), columns: columns)
    }

    /// Runs one query and calls `body` for each row (the result is in libpq's memory; each
    /// row is decoded as it is handed over).
    public func forEach(_ sql: String, parameters: [any SQLBindable], _ body: (Row) throws -> Void) throws {
        let result = try prepared(sql, parameters)
        defer { PQclear(result) }
        let columns = Self.columns(of: result)
        for row in 0..<PQntuples(result) {
            try body(Row(values: Self.values(of: result, row: row, columns: columns.names.count), columns: columns))
        }
    }

    /// The id of the row most recently inserted on this connection: the first column of the
    /// first row an `INSERT ... RETURNING` gave (when it is an integer), else, after an
    /// `INSERT` without `RETURNING`, the value of `SELECT lastval()` (the last number drawn
    /// from a sequence in this session: the new row's id when the table has one identity or
    /// serial column and no trigger draws from another sequence). If that lookup fails (no
    /// sequence was used), it returns 0 and the next statement, or the commit, throws.
    /// Portable code reads ids with `queryOne("INSERT ... RETURNING id")` instead.
    public var lastInsertRowID: Int64 {
        if let lastInserted { return lastInserted }
        guard lastInsertNeedsLookup else { return 0 }
        do {
            let result = try prepared("SELECT lastval()", [])
            defer { PQclear(result) }
            let value = Self.values(of: result, row: 0, columns: 1).first
            if case .integer(let id) = value {
                lastInserted = id
                return id
            }
        } catch let error as StorageError {
            deferredError = StorageError(kind: .invalidStatement, sqlState: error.sqlState,
                                         message: "lastInsertRowID after an INSERT that drew no sequence value: \(error.message); use INSERT ... RETURNING id",
                                         sql: "SELECT lastval()")
        } catch {}
        return 0
    }

    /// Queues a notification on `channel`, sent when the write transaction commits
    /// (`pg_notify`: dropped if it rolls back). Only inside `SQLDatabase.write`.
    public func notify(channel: String, payload: String) throws {
        try NotificationChannel.validate(channel)
        guard notificationsAllowed else {
            throw StorageError(kind: .invalidStatement, message: "notify(channel:payload:) is only allowed inside a write transaction")
        }
        let scoped = try PostgresListener.scoped(channel, scope: notificationScope)
        let result = try prepared("SELECT pg_notify(?, ?)", [scoped, payload])
        PQclear(result)
    }

    // MARK: - Execution

    /// Runs `sql` through `PQexec`; returns the result (the caller clears it) or throws.
    func simple(_ sql: String) throws -> OpaquePointer {
        let conn = try rawHandle()
        try throwDeferredError()
        try countStatement(sql)
        let result = PQexec(conn, sql)
        return try checked(result, sql: sql)
    }

    /// Prepares `sql` (cached per parameter types) and executes it with `parameters`.
    private func prepared(_ sql: String, _ parameters: [any SQLBindable]) throws -> OpaquePointer {
        let conn = try rawHandle()
        try throwDeferredError()
        try countStatement(sql)
        let shape = rewrite(sql)
        guard shape.count == parameters.count else {
            throw StorageError(kind: .invalidStatement,
                               message: "statement has \(shape.count) parameter(s), \(parameters.count) given", sql: sql)
        }
        let encoded = try PostgresParameters(parameters, sql: sql)
        defer { encoded.deallocate() }
        let key = encoded.signature + "\u{1}" + sql
        let name: String
        if let cached = statements[key] {
            name = cached
        } else {
            if statements.count >= max(1, statementCacheCapacity) {
                let result = try checked(PQexec(conn, "DEALLOCATE ALL"), sql: "DEALLOCATE ALL")
                PQclear(result)
                statements.removeAll()
            }
            statementCounter += 1
            let fresh = "s\(statementCounter)"
            let result = encoded.types.withUnsafeBufferPointer { types in
                PQprepare(conn, fresh, shape.sql, Int32(parameters.count), types.baseAddress)
            }
            PQclear(try checked(result, sql: sql))
            if statementCacheCapacity > 0 { statements[key] = fresh }
            name = fresh
        }
        let result = encoded.values.withUnsafeBufferPointer { values in
            encoded.lengths.withUnsafeBufferPointer { lengths in
                encoded.formats.withUnsafeBufferPointer { formats in
                    PQexecPrepared(conn, name, Int32(parameters.count), values.baseAddress, lengths.baseAddress,
                                   formats.baseAddress, 0)
                }
            }
        }
        if statementCacheCapacity <= 0 {
            PQclear(PQexec(conn, "DEALLOCATE \(name)"))
        }
        let checkedResult = try checked(result, sql: sql)
        noteInsert(checkedResult)
        return checkedResult
    }

    private func rewrite(_ sql: String) -> (sql: String, count: Int) {
        if let cached = rewritten[sql] { return cached }
        let shape = PostgresPlaceholders.rewrite(sql)
        if rewritten.count >= max(64, statementCacheCapacity * 2) { rewritten.removeAll(keepingCapacity: true) }
        rewritten[sql] = shape
        return shape
    }

    private func noteInsert(_ result: OpaquePointer) {
        guard let status = PQcmdStatus(result), strncmp(status, "INSERT", 6) == 0 else { return }
        lastInserted = nil
        lastInsertNeedsLookup = false
        if PQnfields(result) > 0 && PQntuples(result) > 0 {
            if case .integer(let id) = Self.values(of: result, row: 0, columns: 1)[0] { lastInserted = id }
        } else {
            lastInsertNeedsLookup = true
        }
    }

    /// In a single-statement write, takes the one statement allowed or throws.
    private func countStatement(_ sql: String) throws {
        guard let allowed = statementsAllowed else { return }
        guard allowed > 0 else {
            throw StorageError(kind: .invalidStatement,
                               message: "a single-statement write (writeStatement) runs one statement; use write for several",
                               sql: sql)
        }
        statementsAllowed = allowed - 1
    }

    private func throwDeferredError() throws {
        if let deferredError {
            self.deferredError = nil
            throw deferredError
        }
    }

    /// `result` if it succeeded; otherwise clears it and throws the mapped error.
    private func checked(_ result: OpaquePointer?, sql: String) throws -> OpaquePointer {
        if let result {
            let status = PQresultStatus(result)
            if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY {
                return result
            }
        }
        let error = self.error(result, sql: sql)
        PQclear(result)
        throw error
    }

    /// Maps a failed result (or the connection's error state) to a `StorageError`.
    func error(_ result: OpaquePointer?, sql: String?) -> StorageError {
        func field(_ code: Character) -> String? {
            guard let result, let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        let state = field("C")
        var message = field("M") ?? handle.map { Self.trimmed(String(cString: PQerrorMessage($0))) } ?? "connection is closed"
        if let detail = field("D") { message += " (\(detail))" }
        if message.isEmpty { message = "the connection to the server was lost" }
        let extended: Int32 = switch state {
        case "23505": StorageError.constraintUnique
        case "23503": StorageError.constraintForeignKey
        case "23502": StorageError.constraintNotNull
        case "23514": StorageError.constraintCheck
        case let other? where other.hasPrefix("23"): 19
        default: 0
        }
        return StorageError(kind: .postgres, extendedCode: extended, sqlState: state, message: message, sql: sql)
    }

    static func trimmed(_ message: String) -> String {
        var text = Substring(message)
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }

    static func columns(of result: OpaquePointer) -> RowColumns {
        let count = PQnfields(result)
        return RowColumns(names: (0..<count).map { PQfname(result, $0).map { String(cString: $0) } ?? "" })
    }

    static func values(of result: OpaquePointer, row: Int32, columns: Int) -> [SQLValue] {
        var values: [SQLValue] = []
        values.reserveCapacity(columns)
        for column in 0..<Int32(columns) {
            if PQgetisnull(result, row, column) != 0 {
                values.append(.null)
                continue
            }
            let length = Int(PQgetlength(result, row, column))
            let pointer = UnsafeRawPointer(PQgetvalue(result, row, column)!).assumingMemoryBound(to: UInt8.self)
            values.append(PostgresValueDecoder.decode(oid: PQftype(result, column),
                                                      bytes: UnsafeBufferPointer(start: pointer, count: length)))
        }
        return values
    }
}
