/// A PostgreSQL database for a service, through libpq: a fixed pool of connections whose
/// sessions resolve names in the service's own schema (so all six services can share one
/// database), write transactions retried on serialization failures and deadlocks, and
/// numbered migrations applied once however many replicas start at the same time.
///
/// ```swift
/// let db = try await PostgresDatabase(url: "postgres://app@db/aidevtools", schema: "orchestrator",
///                                     migrations: Schema.migrations)
/// try await db.write { conn in try conn.run(Queries.claim, worker, id) }
/// ```
///
/// - **Writes** run in `BEGIN ISOLATION LEVEL SERIALIZABLE` (see `PostgresOptions`) on any
///   pooled connection, concurrently with each other. When PostgreSQL aborts one to keep the
///   outcome serializable (`40001`) or to break a deadlock (`40P01`), or the connection is
///   lost before `COMMIT` was sent, the transaction is rolled back and the **closure runs
///   again**, up to `maxTransactionAttempts` times with a short random back-off. A write
///   closure must therefore do nothing but database work (no side effects outside the
///   connection, or only idempotent ones) and must not swallow `StorageError`s.
/// - **Single statements** (`writeStatement`) run in autocommit: one round trip.
/// - **Reads** run in `REPEATABLE READ READ ONLY`: one snapshot; writing fails (`25006`).
/// - A connection the server dropped while idle is re-established on its next use.
/// - Waiting for a free connection suspends the task (FIFO), never blocks a thread; inside
///   the closure, libpq calls block the thread for their round trip, as SQLite's do.
public final class PostgresDatabase: SQLDatabase {
    /// `.postgres`.
    public let dialect: SQLDialect = .postgres
    /// The schema holding this service's tables (its connections' `search_path`).
    public let schema: String
    /// The options it was opened with.
    public let options: PostgresOptions
    private let pool: ConnectionPool<PostgresConnection>
    private let hub = NotificationHub()
    private let listener: PostgresListener

    /// Connects `options.poolSize` connections to `url`, creates `schema` if missing and
    /// applies the pending `migrations` (their `postgres` scripts) before returning.
    ///
    /// `schema` must be 1–63 of `[a-z0-9_]`, not starting with a digit. Throws
    /// `.invalidConfiguration` for a bad schema name, `.postgres` when the server cannot be
    /// reached, `.schemaTooNew` when the schema was migrated by newer code.
    public init(url: String, schema: String, options: PostgresOptions = PostgresOptions(),
                migrations: [Migration] = []) async throws {
        try SQLIdentifier.validate(schema, what: "schema")
        let connect: @Sendable () throws -> PostgresConnection = {
            try PostgresConnection(url: url, searchPath: schema, applicationName: options.applicationName,
                                   connectTimeoutSeconds: options.connectTimeoutSeconds,
                                   statementCacheCapacity: options.statementCacheCapacity)
        }
        let first = try connect()
        try first.migrate(migrations, schema: schema)
        var pooled = [PooledConnection(first)]
        for _ in 1..<max(1, options.poolSize) { pooled.append(PooledConnection(try connect())) }
        self.schema = schema
        self.options = options
        self.pool = ConnectionPool(connections: pooled)
        self.listener = try PostgresListener(hub: hub, scope: schema, connect: connect)
    }

    /// Runs `body` in a write transaction; rolls back and rethrows if it throws; runs it
    /// again after a serialization failure, a deadlock or a connection lost before `COMMIT`
    /// (see the type's documentation: the closure must be safe to re-run).
    @discardableResult
    public func write<T: Sendable>(_ body: @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await transaction(.write(options.writeIsolation), body)
    }

    /// Runs `body` in a write transaction at `isolation` (`.readCommitted`: `BEGIN ISOLATION
    /// LEVEL READ COMMITTED`, re-run only after a deadlock or a connection lost before
    /// `COMMIT`; see `WriteIsolation`).
    @discardableResult
    public func write<T: Sendable>(isolation: WriteIsolation, _ body: @Sendable (any SQLConnection) throws -> T) async throws -> T {
        switch isolation {
        case .serializable: try await transaction(.write(.serializable), body)
        case .readCommitted: try await transaction(.write(.readCommitted), body)
        }
    }

    /// Runs `body`, which runs one statement, outside `BEGIN` ... `COMMIT` (see
    /// `SQLDatabase.writeStatement`): one round trip, row locks held only while it runs.
    @discardableResult
    public func writeStatement<T: Sendable>(_ body: @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await transaction(.singleStatement, body)
    }

    /// Runs `body` in a `REPEATABLE READ READ ONLY` transaction (one consistent snapshot).
    @discardableResult
    public func read<T: Sendable>(_ body: @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await transaction(.readOnly, body)
    }

    /// Runs `body` on a pooled connection outside any transaction (your own transaction
    /// control, `VACUUM`, administration), reconnecting it first if it was dropped.
    public func withConnection<T: Sendable>(_ body: @Sendable (PostgresConnection) throws -> T) async throws -> T {
        let pooled = try await pool.acquire()
        defer { pool.release(pooled) }
        try pooled.connection.ensureConnected()
        return try body(pooled.connection)
    }

    private func transaction<T: Sendable>(_ mode: PostgresConnection.TransactionMode,
                                          _ body: @Sendable (any SQLConnection) throws -> T) async throws -> T {
        var attempt = 1
        while true {
            let pooled = try await pool.acquire()
            let connection = pooled.connection
            let outcome = Result<T, any Error> {
                try connection.ensureConnected()
                return try connection.transaction(mode) { try body($0) }
            }
            let retry: Bool
            if case .failure(let error as StorageError) = outcome {
                retry = error.isSerializationFailure || (error.isConnectionFailure && !connection.commitOutcomeUnknown)
            } else {
                retry = false
            }
            pool.release(pooled)
            if !retry || attempt >= max(1, options.maxTransactionAttempts) { return try outcome.get() }
            try await Task.sleep(for: .milliseconds(Int.random(in: 1...min(100, 1 << min(attempt, 7)))))
            attempt += 1
        }
    }

    /// A stream of the notifications committed on `channel` by any process using this
    /// schema (any replica), from the moment this returns. Channel names: 1–63 of
    /// `[a-z0-9_]`, and `<schema>.<channel>` at most 63 bytes.
    public func listen(channel: String) async throws -> AsyncStream<DatabaseNotification> {
        try NotificationChannel.validate(channel)
        _ = try PostgresListener.scoped(channel, scope: schema)
        let subscription = hub.subscribe(channel)
        try await listener.listen(channel)
        return subscription.stream
    }

    /// The highest applied migration version in this schema.
    public func schemaVersion() async throws -> Int {
        try await read { try ($0 as! PostgresConnection).schemaVersion() }
    }

    /// Closes the pool (busy connections when released) and the listener; ends every
    /// notification stream; later calls throw `.closed`.
    public func close() async {
        pool.close()
        listener.close()
        hub.close()
    }
}
