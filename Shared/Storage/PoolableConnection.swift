/// A connection a `ConnectionPool` can hold: closed when the pool is closed.
public protocol PoolableConnection: AnyObject {
    /// Closes the connection; idempotent.
    func close()
}
