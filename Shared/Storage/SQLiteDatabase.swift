/// A SQLite database for a service: one write connection owned by an actor (all writes
/// serialised, each in `BEGIN IMMEDIATE` ... `COMMIT`) and a pool of read-only connections
/// behind a `Mutex`, so reads run concurrently with writes and with each other.
///
/// Opened in WAL mode with `synchronous=NORMAL` (or FULL, see `SQLiteOptions`),
/// `busy_timeout` and `foreign_keys=ON`; pending migrations run before `init` returns.
///
/// ```swift
/// let db = try await SQLiteDatabase(path: "data/orchestrator.sqlite", migrations: Schema.migrations)
/// let claimed = try await db.write { conn in
///     try conn.run("UPDATE uplets SET status = 'pending', worker = ? WHERE id = ? AND status = 'todo'", worker, id)
/// } == 1
/// let count = try await db.read { try $0.queryOne("SELECT COUNT(*) FROM uplets")!.get(0, as: Int.self) }
/// ```
///
/// `":memory:"` (or an empty path, or a URI with `mode=memory`) gives a private in-memory
/// database; since such a database cannot be shared between connections, reads are then
/// routed to the writer (still in their own transaction).
public final class SQLiteDatabase: SQLDatabase {
    /// The path or URI the database was opened with.
    public let path: String
    /// The options it was opened with.
    public let options: SQLiteOptions
    /// `.sqlite`.
    public let dialect: SQLDialect = .sqlite
    private let hub: NotificationHub
    private let writer: SQLiteWriter
    private let readers: ConnectionPool<SQLiteConnection>?

    /// Opens or creates the database at `path`, configures it and runs pending `migrations`.
    ///
    /// Throws `StorageError` of kind `.schemaTooNew` if the file was migrated by newer code.
    public init(path: String, options: SQLiteOptions = SQLiteOptions(), migrations: [Migration] = []) async throws {
        self.path = path
        self.options = options
        let inMemory = path.isEmpty || path == ":memory:" || path.contains("mode=memory")

        let conn = try SQLiteConnection(path: path, flags: .readWriteCreate,
                                        statementCacheCapacity: options.statementCacheCapacity)
        try conn.setBusyTimeout(milliseconds: options.busyTimeoutMilliseconds)
        if !inMemory {
            let mode = try conn.queryOne("PRAGMA journal_mode=WAL")?.get(0, as: String.self)
            guard mode?.lowercased() == "wal" else {
                throw StorageError(kind: .sqlite, message: "could not enable WAL mode (journal_mode is \(mode ?? "?"))")
            }
        }
        try conn.execute("PRAGMA synchronous=\(options.synchronous.rawValue)")
        try conn.execute("PRAGMA foreign_keys=\(options.foreignKeys ? "ON" : "OFF")")
        try conn.migrate(migrations)

        var pooled: [PooledConnection<SQLiteConnection>] = []
        if !inMemory {
            for _ in 0..<max(0, options.readerCount) {
                let reader = try SQLiteConnection(path: path, flags: .readOnlyPooled,
                                                  statementCacheCapacity: options.statementCacheCapacity)
                try reader.setBusyTimeout(milliseconds: options.busyTimeoutMilliseconds)
                try reader.execute("PRAGMA query_only=ON")
                pooled.append(PooledConnection(reader))
            }
        }
        self.readers = pooled.isEmpty ? nil : ConnectionPool(connections: pooled)
        let hub = NotificationHub()
        self.hub = hub
        self.writer = SQLiteWriter(connection: conn, hub: hub)
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction on the write connection; rolls back and
    /// rethrows if it throws. Inside, the connection is a `SQLiteConnection`. Do not issue
    /// `BEGIN`/`COMMIT`/`ROLLBACK` inside the closure (use `SAVEPOINT` for nested scopes).
    @discardableResult
    public func write<T: Sendable>(_ body: @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await writer.write(body)
    }

    /// Runs `body` as `write` does, whatever `isolation`: SQLite's writes are serialised.
    @discardableResult
    public func write<T: Sendable>(isolation: WriteIsolation, _ body: @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await writer.write(body)
    }

    /// Runs `body` (one statement) as `write` does: SQLite's writes are serialised anyway.
    @discardableResult
    public func writeStatement<T: Sendable>(_ body: @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await writer.write(body)
    }

    /// Runs `body` in a read transaction on a pooled read-only connection (a consistent
    /// snapshot of committed data). Writing inside fails (`SQLITE_READONLY`). When every
    /// pooled connection is busy the call waits (FIFO) for one; that wait ignores
    /// cancellation, since reads are short.
    @discardableResult
    public func read<T: Sendable>(_ body: @Sendable (any SQLConnection) throws -> T) async throws -> T {
        guard let readers else { return try await writer.read(body) }
        let pooled = try await readers.acquire()
        defer { readers.release(pooled) }
        return try pooled.connection.transaction(.deferred) { try body($0) }
    }

    /// Runs `body` on the write connection outside any transaction (pragmas, `VACUUM`,
    /// checkpoints, or your own transaction control).
    public func withWriterConnection<T: Sendable>(_ body: @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await writer.withConnection(body)
    }

    /// The highest applied migration version.
    public func schemaVersion() async throws -> Int {
        try await writer.withConnection { try $0.schemaVersion() }
    }

    /// A stream of the notifications committed on `channel` by this database's writes (one
    /// process: SQLite's notifications never leave it).
    public func listen(channel: String) async throws -> AsyncStream<DatabaseNotification> {
        try NotificationChannel.validate(channel)
        return hub.subscribe(channel).stream
    }

    /// Closes the pool and the writer and ends every notification stream; later calls throw
    /// `.closed`. Readers busy at the time are closed when released.
    public func close() async {
        readers?.close()
        await writer.close()
        hub.close()
    }
}
