import Synchronization

/// A fixed set of connections behind a `Mutex`: checking one out is a lock, not an actor
/// hop. When all are busy, callers wait (FIFO) for the next one released, suspended (no
/// thread is blocked while waiting). SQLite's read-only readers and PostgreSQL's
/// connections are both pooled by it.
final class ConnectionPool<Connection: PoolableConnection>: Sendable {
    private struct State {
        var idle: [PooledConnection<Connection>]
        var waiters: [CheckedContinuation<PooledConnection<Connection>, any Error>] = []
        var closed = false
    }

    private let state: Mutex<State>

    init(connections: [PooledConnection<Connection>]) {
        state = Mutex(State(idle: connections))
    }

    /// Checks out a connection, waiting if all are in use.
    func acquire() async throws -> PooledConnection<Connection> {
        let fast: Result<PooledConnection<Connection>, any Error>? = state.withLock { s in
            if s.closed { return .failure(StorageError(kind: .closed, message: "database is closed")) }
            return s.idle.popLast().map { .success($0) }
        }
        if let fast { return try fast.get() }
        return try await withCheckedThrowingContinuation { continuation in
            let immediate: Result<PooledConnection<Connection>, any Error>? = state.withLock { s in
                if s.closed { return .failure(StorageError(kind: .closed, message: "database is closed")) }
                if let c = s.idle.popLast() { return .success(c) }
                s.waiters.append(continuation)
                return nil
            }
            if let immediate { continuation.resume(with: immediate) }
        }
    }

    /// Returns a connection: handed straight to the oldest waiter, else back to the pool.
    func release(_ pooled: PooledConnection<Connection>) {
        let waiter: CheckedContinuation<PooledConnection<Connection>, any Error>? = state.withLock { s in
            if s.closed {
                pooled.connection.close()
                return nil
            }
            if !s.waiters.isEmpty { return s.waiters.removeFirst() }
            s.idle.append(pooled)
            return nil
        }
        waiter?.resume(returning: pooled)
    }

    /// Closes idle connections now and busy ones when released; fails all waiters.
    func close() {
        let waiters = state.withLock { s in
            s.closed = true
            for c in s.idle { c.connection.close() }
            s.idle.removeAll()
            defer { s.waiters.removeAll() }
            return s.waiters
        }
        for w in waiters { w.resume(throwing: StorageError(kind: .closed, message: "database is closed")) }
    }
}
