/// A database as services see it: serialisable write transactions and concurrent reads.
///
/// Services depend on this protocol, not on a backend: `SQLiteDatabase` (the embedded
/// default) and `PostgresDatabase` (libpq; several replicas on one database) implement it,
/// and `DatabaseLocation` opens the one `DATABASE_URL` names. Closures are synchronous and
/// get a connection valid only for their duration; they must return `Sendable` results
/// (copy rows into your own types). On PostgreSQL a write closure may run more than once
/// (retried after a serialization failure): keep side effects out of it.
public protocol SQLDatabase: Sendable {
    /// The SQL dialect the database speaks (which texts of `SQLQuery`s and migrations run).
    var dialect: SQLDialect { get }

    /// Runs `body` in a write transaction (SQLite: `BEGIN IMMEDIATE` ... `COMMIT`, one
    /// writer at a time; PostgreSQL: `SERIALIZABLE`, concurrent, the outcome that of some
    /// serial order, `body` re-run after a conflict). If `body` throws, the transaction is
    /// rolled back and the error rethrown unchanged; nothing it wrote is visible afterwards.
    @discardableResult
    func write<T: Sendable>(_ body: @Sendable (any SQLConnection) throws -> T) async throws -> T

    /// Runs `body` in a write transaction at `isolation` (PostgreSQL; see `WriteIsolation`),
    /// as `write` does otherwise.
    @discardableResult
    func write<T: Sendable>(isolation: WriteIsolation, _ body: @Sendable (any SQLConnection) throws -> T) async throws -> T

    /// Runs `body`, which runs exactly **one** statement, as a write of its own: the
    /// statement is atomic by itself. PostgreSQL runs it outside `BEGIN` ... `COMMIT`
    /// (autocommit, at the session's default isolation, `READ COMMITTED` unless the server
    /// says otherwise): one round trip instead of three or more, and the rows it locks are
    /// released as it ends rather than a round trip later; a second statement in `body`
    /// throws `.invalidStatement` (the first has committed by then), and `body` is re-run
    /// only after a deadlock or a connection lost before the statement was sent. SQLite runs
    /// it as `write` does. For a conditional `UPDATE … RETURNING` that decides alone (claims,
    /// leases) or a notification alone (`notify` is one statement); anything that reads,
    /// decides and then writes belongs in `write`.
    @discardableResult
    func writeStatement<T: Sendable>(_ body: @Sendable (any SQLConnection) throws -> T) async throws -> T

    /// Runs `body` in a read-only transaction on a pooled connection: it sees one consistent
    /// snapshot of committed data, and runs concurrently with writes and other reads.
    @discardableResult
    func read<T: Sendable>(_ body: @Sendable (any SQLConnection) throws -> T) async throws -> T

    /// A stream of the notifications sent on `channel` by committed writes
    /// (`SQLConnection.notify(channel:payload:)`), from the moment this returns: within
    /// this process on SQLite, from every replica on PostgreSQL. The stream ends when the
    /// database is closed.
    func listen(channel: String) async throws -> AsyncStream<DatabaseNotification>

    /// Closes all connections; later calls throw `StorageError` of kind `.closed`.
    func close() async
}
