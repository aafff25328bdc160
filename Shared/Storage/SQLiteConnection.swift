import CSQLite

/// One SQLite connection: statements, a prepared-statement cache and typed execution.
///
/// Not `Sendable`: a connection is owned by one actor (the writer of `SQLiteDatabase`) or
/// checked out of the reader pool by one task at a time; it is opened in SQLite's
/// multi-thread mode (`.noMutex`) because of that exclusive ownership.
///
/// ```swift
/// let conn = try SQLiteConnection(path: path)
/// try conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
/// try conn.run("INSERT INTO t (name) VALUES (?)", "a")
/// let name: String = try conn.queryOne("SELECT name FROM t WHERE id = ?", conn.lastInsertRowID)!.get(0)
/// ```
public final class SQLiteConnection: SQLConnection, PoolableConnection {
    /// The path or URI the connection was opened with.
    public let path: String
    /// How many prepared statements are kept; beyond that the cache is emptied and refilled.
    public var statementCacheCapacity: Int
    private var handle: OpaquePointer?
    private var cache: [String: SQLiteStatement] = [:]
    /// `.sqlite`.
    public let dialect: SQLDialect = .sqlite
    /// Notifications queued by the open write transaction, posted when it commits.
    var pendingNotifications: [(channel: String, payload: String)] = []
    /// Whether `notify(channel:payload:)` is allowed: inside `SQLiteDatabase.write` only.
    var notificationsAllowed = false

    /// Opens (and with `.create`, creates) the database at `path` (a file path, `":memory:"`
    /// or, with `.uri`, a `file:` URI). Extended result codes are enabled.
    public init(path: String, flags: SQLiteOpenFlags = .readWriteCreate, statementCacheCapacity: Int = 256) throws {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags.rawValue, nil)
        guard rc == SQLITE_OK, let db else {
            let error: StorageError
            if let db {
                error = Self.error(db: db, rc: rc, sql: nil)
            } else {
                error = StorageError(kind: .sqlite, extendedCode: rc, message: String(cString: sqlite3_errstr(rc)))
            }
            sqlite3_close_v2(db)
            throw StorageError(kind: error.kind, code: error.code, extendedCode: error.extendedCode,
                               message: "cannot open '\(path)': \(error.message)")
        }
        sqlite3_extended_result_codes(db, 1)
        self.handle = db
        self.path = path
        self.statementCacheCapacity = statementCacheCapacity
    }

    deinit { close() }

    /// Finalizes cached statements and closes the connection; later calls throw `.closed`.
    /// Idempotent.
    public func close() {
        cache.removeAll()
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// `true` until `close()`.
    public var isOpen: Bool { handle != nil }

    /// The `sqlite3*` handle, for calls this type does not wrap.
    public func rawHandle() throws -> OpaquePointer {
        guard let handle else { throw StorageError(kind: .closed, message: "connection is closed") }
        return handle
    }

    /// Runs a script of statements separated by `;` (no parameters), via `sqlite3_exec`.
    public func execute(_ sql: String) throws {
        let db = try rawHandle()
        var errmsg: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &errmsg)
        if let errmsg { sqlite3_free(errmsg) }
        guard rc == SQLITE_OK else { throw Self.error(db: db, rc: rc, sql: sql) }
    }

    /// Returns a prepared statement for `sql` (exactly one statement), from the cache when
    /// possible. If the cached statement is mid-execution (a nested query of the same SQL
    /// inside `forEach`) a fresh, uncached one is returned. Cached statements survive schema
    /// changes: SQLite re-prepares them and column names are re-read on each execution.
    public func prepare(_ sql: String) throws -> SQLiteStatement {
        let db = try rawHandle()
        if let cached = cache[sql] {
            if !cached.isExecuting { return cached }
            return try SQLiteStatement(db: db, sql: sql)
        }
        let statement = try SQLiteStatement(db: db, sql: sql)
        if statementCacheCapacity > 0 {
            if cache.count >= statementCacheCapacity { cache.removeAll(keepingCapacity: true) }
            cache[sql] = statement
        }
        return statement
    }

    /// Number of statements currently cached.
    public var cachedStatementCount: Int { cache.count }

    /// Drops all cached statements.
    public func clearStatementCache() { cache.removeAll() }

    /// Runs one statement and returns the number of rows it changed.
    @discardableResult
    public func run(_ sql: String, parameters: [any SQLBindable]) throws -> Int {
        try prepare(sql).run(parameters)
    }

    /// Runs one query and returns all rows.
    public func query(_ sql: String, parameters: [any SQLBindable]) throws -> [Row] {
        try prepare(sql).query(parameters)
    }

    /// Runs one query and returns its first row (stops stepping after it), or `nil`.
    public func queryOne(_ sql: String, parameters: [any SQLBindable]) throws -> Row? {
        try prepare(sql).queryOne(parameters)
    }

    /// Runs one query, calling `body` for each row as SQLite produces it.
    public func forEach(_ sql: String, parameters: [any SQLBindable], _ body: (Row) throws -> Void) throws {
        try prepare(sql).forEach(parameters, body)
    }

    /// The row id of the most recent successful `INSERT` on this connection (0 if none).
    public var lastInsertRowID: Int64 {
        handle.map { sqlite3_last_insert_rowid($0) } ?? 0
    }

    /// Rows changed by the most recent `INSERT`/`UPDATE`/`DELETE`.
    public var changes: Int { handle.map { Int(sqlite3_changes($0)) } ?? 0 }

    /// Rows changed since the connection was opened.
    public var totalChanges: Int { handle.map { Int(sqlite3_total_changes($0)) } ?? 0 }

    /// `true` while a transaction is open (SQLite is not in autocommit mode).
    public var isInTransaction: Bool { handle.map { sqlite3_get_autocommit($0) == 0 } ?? false }

    /// Sets how long a statement waits on a lock held by another connection before failing
    /// with `SQLITE_BUSY`.
    public func setBusyTimeout(milliseconds: Int) throws {
        let db = try rawHandle()
        let rc = sqlite3_busy_timeout(db, Int32(clamping: milliseconds))
        guard rc == SQLITE_OK else { throw Self.error(db: db, rc: rc, sql: nil) }
    }

    /// Runs `body` inside `BEGIN <kind>` ... `COMMIT`, rolling back and rethrowing if
    /// `body` (or the commit) throws.
    public func transaction<T>(_ kind: TransactionKind = .deferred, _ body: (SQLiteConnection) throws -> T) throws -> T {
        try prepare(kind.beginSQL).run()
        pendingNotifications.removeAll()
        do {
            let result = try body(self)
            try prepare("COMMIT").run()
            return result
        } catch {
            rollbackIfNeeded()
            pendingNotifications.removeAll()
            throw error
        }
    }

    /// Queues a notification, posted to this process's listeners when the write
    /// transaction commits (dropped if it rolls back). Only inside `SQLiteDatabase.write`.
    public func notify(channel: String, payload: String) throws {
        try NotificationChannel.validate(channel)
        guard notificationsAllowed else {
            throw StorageError(kind: .invalidStatement, message: "notify(channel:payload:) is only allowed inside a write transaction")
        }
        pendingNotifications.append((channel, payload))
    }

    /// Rolls back the open transaction, if any, ignoring errors (used on failure paths).
    func rollbackIfNeeded() {
        guard isInTransaction, let db = handle else { return }
        sqlite3_exec(db, "ROLLBACK", nil, nil, nil)
    }

    /// How a transaction acquires locks.
    public enum TransactionKind: Sendable {
        /// `BEGIN DEFERRED`: locks on first access (reads).
        case deferred
        /// `BEGIN IMMEDIATE`: takes the write lock at once (writes; avoids upgrade deadlocks).
        case immediate
        /// `BEGIN EXCLUSIVE`.
        case exclusive

        var beginSQL: String {
            switch self {
            case .deferred: return "BEGIN DEFERRED"
            case .immediate: return "BEGIN IMMEDIATE"
            case .exclusive: return "BEGIN EXCLUSIVE"
            }
        }
    }

    /// Builds a `StorageError` from the connection's current error state.
    static func error(db: OpaquePointer, rc: Int32, sql: String?) -> StorageError {
        var extended = sqlite3_extended_errcode(db)
        if extended & 0xFF != rc & 0xFF { extended = rc }
        let message = sqlite3_errmsg(db).map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
        return StorageError(kind: .sqlite, extendedCode: extended, message: message, sql: sql)
    }
}
