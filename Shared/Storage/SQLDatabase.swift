/// A database as services see it: serialised write transactions and concurrent reads.
///
/// Services depend on this protocol, not on SQLite, so a PostgreSQL (libpq) backend can be
/// added behind it. Closures are synchronous and get a connection valid only for their
/// duration; they must return `Sendable` results (copy rows into your own types).
public protocol SQLDatabase: Sendable {
    /// Runs `body` in a write transaction (SQLite: `BEGIN IMMEDIATE` ... `COMMIT`).
    /// Writes are serialised. If `body` throws, the transaction is rolled back and the error
    /// rethrown unchanged; nothing it wrote is visible afterwards.
    @discardableResult
    func write<T: Sendable>(_ body: @Sendable (any SQLConnection) throws -> T) async throws -> T

    /// Runs `body` in a read-only transaction on a pooled connection: it sees one consistent
    /// snapshot of committed data, and runs concurrently with writes and other reads.
    @discardableResult
    func read<T: Sendable>(_ body: @Sendable (any SQLConnection) throws -> T) async throws -> T

    /// Closes all connections; later calls throw `StorageError` of kind `.closed`.
    func close() async
}
