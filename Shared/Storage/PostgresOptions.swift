/// Settings for `PostgresDatabase`.
public struct PostgresOptions: Sendable {
    /// The isolation level of write transactions.
    public enum IsolationLevel: String, Sendable, Equatable {
        /// `READ COMMITTED`: each statement sees what was committed before it began.
        case readCommitted = "READ COMMITTED"
        /// `REPEATABLE READ`: one snapshot for the whole transaction; concurrent updates of
        /// the same rows fail with `40001` (and are retried).
        case repeatableRead = "REPEATABLE READ"
        /// `SERIALIZABLE`: the outcome is that of some serial order of the transactions, as
        /// with SQLite's one writer at a time; conflicts fail with `40001` (and are retried).
        case serializable = "SERIALIZABLE"

        var sql: String { rawValue }
    }

    /// Connections in the pool (reads and writes share them); fixed for the database's life.
    public var poolSize: Int
    /// Isolation of write transactions; `.serializable` by default, so a write closure that
    /// reads, decides and writes behaves as it does on SQLite, whose writes are serialised.
    public var writeIsolation: IsolationLevel
    /// How many times a transaction is run before a serialization failure (`40001`), a
    /// deadlock (`40P01`) or a connection lost before `COMMIT` is given up and thrown.
    public var maxTransactionAttempts: Int
    /// Prepared statements kept per connection.
    public var statementCacheCapacity: Int
    /// `connect_timeout` for each connection, in seconds.
    public var connectTimeoutSeconds: Int
    /// `application_name` of the connections (shown in `pg_stat_activity`).
    public var applicationName: String?

    /// Creates options; the defaults suit a service.
    public init(poolSize: Int = 4, writeIsolation: IsolationLevel = .serializable, maxTransactionAttempts: Int = 10,
                statementCacheCapacity: Int = 256, connectTimeoutSeconds: Int = 10, applicationName: String? = nil) {
        self.poolSize = poolSize
        self.writeIsolation = writeIsolation
        self.maxTransactionAttempts = maxTransactionAttempts
        self.statementCacheCapacity = statementCacheCapacity
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.applicationName = applicationName
    }
}
