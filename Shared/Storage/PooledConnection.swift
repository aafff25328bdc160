/// A connection checked out of a `ConnectionPool`. `@unchecked Sendable` because the pool
/// hands each box to exactly one task at a time; the connection inside is never used
/// concurrently.
final class PooledConnection<Connection: PoolableConnection>: @unchecked Sendable {
    let connection: Connection
    init(_ connection: Connection) { self.connection = connection }
}
