import Synchronization

/// The connections to one (scheme, host, port): idle ones reused LIFO, a cap on how many are
/// open, and callers beyond the cap queued FIFO. State is shared by all loops (mutex).
final class ConnectionPool: Sendable {
    enum Lease {
        /// An idle keep-alive connection to reuse.
        case reuse(ClientConnection)
        /// Permission to open a new connection (already counted as open).
        case create
    }

    /// Gets a lease, or the error that ends the wait (any thread).
    typealias Delivery = @Sendable (Result<Lease, Error>) -> Void

    private struct Waiter {
        let id: UInt64
        let deliver: Delivery
    }

    enum Available { case lease(Lease), wait, closed }

    private struct State {
        var idle: [ClientConnection] = []
        var open = 0
        var waiters: [Waiter] = []
        var waitersHead = 0
        var nextID: UInt64 = 0
        var closed = false
        var address: SocketAddress?
        var maxOpenSeen = 0

        /// What a caller can have right now (under the lock). A caller on event loop
        /// `loop` gets an idle connection of that loop, else a new one (opened on its loop)
        /// while under the cap, else any idle connection: connections stay with the loop
        /// that uses them, so a request and its upstream exchange run on one thread. A
        /// caller off the loops gets the most recently idled connection.
        mutating func lease(cap: Int, loop: EventLoop?) -> Available {
            if closed { return .closed }
            if let loop {
                if let i = idle.lastIndex(where: { $0.loop === loop }) { return .lease(.reuse(idle.remove(at: i))) }
            } else if let c = idle.popLast() {
                return .lease(.reuse(c))
            }
            if open < cap {
                open += 1
                if open > maxOpenSeen { maxOpenSeen = open }
                return .lease(.create)
            }
            if let c = idle.popLast() { return .lease(.reuse(c)) }
            return .wait
        }

        mutating func popWaiter() -> Waiter? {
            guard waitersHead < waiters.count else { return nil }
            let w = waiters[waitersHead]
            waitersHead += 1
            if waitersHead == waiters.count { waiters.removeAll(keepingCapacity: true); waitersHead = 0 }
            else if waitersHead > 64 && waitersHead * 2 > waiters.count {
                waiters.removeFirst(waitersHead); waitersHead = 0
            }
            return w
        }
    }

    let url: ClientURL
    let key: String
    let cap: Int
    private let state = Mutex(State())

    /// The `Host` header value's bytes for requests through this pool.
    let hostHeader: [UInt8]

    /// The TLS context of an `https://` pool; nil for plain HTTP.
    let tls: TLSContext?

    init(url: ClientURL, cap: Int, tls: TLSContext? = nil) {
        self.url = url
        self.tls = tls
        self.key = url.poolKey
        self.hostHeader = Array(url.hostHeader.utf8)
        self.cap = max(1, cap)
    }

    /// The most connections that were open at once (tests, metrics).
    var maxOpenSeen: Int { state.withLock { $0.maxOpenSeen } }
    /// Open connections now (busy, idle and connecting).
    var openCount: Int { state.withLock { $0.open } }
    /// Idle connections now.
    var idleCount: Int { state.withLock { $0.idle.count } }

    /// The resolved address, cached (resolution happens on the caller's thread).
    func address() throws(HTTPClientError) -> SocketAddress {
        if let a = state.withLock({ $0.address }) { return a }
        do {
            let a = try SocketAddress.resolve(host: url.isIPv6 ? "[\(url.host)]" : url.host, port: url.port)
            state.withLock { $0.address = a }
            return a
        } catch {
            throw .connectFailed("\(error)")
        }
    }

    /// Forgets the cached address (after a connect failure).
    func forgetAddress() { state.withLock { $0.address = nil } }

    /// An idle connection or permission to open one, when available without waiting;
    /// nil when the caller must queue (`acquire`).
    func tryAcquire(loop: EventLoop?) throws(HTTPClientError) -> Lease? {
        switch state.withLock({ $0.lease(cap: cap, loop: loop) }) {
        case .lease(let l): return l
        case .closed: throw .shutdown
        case .wait: return nil
        }
    }

    /// A fresh id for a queued caller (so it can be failed by id: timeout, cancellation).
    func newWaiterID() -> UInt64 { state.withLock { s in s.nextID += 1; return s.nextID } }

    /// An idle connection, permission to open one, or a place in the queue: `deliver`
    /// is called once, now or when a connection frees up (or, at `deadline`, with `expiry`).
    func acquire(id: UInt64, loop: EventLoop?, deadline: UInt64?, expiry: HTTPClientError = .timeout,
                 _ deliver: @escaping Delivery) {
        // Decide under the lock: a quick path may have lost a race since.
        let now = state.withLock { s -> Available in
            let a = s.lease(cap: cap, loop: loop)
            if case .wait = a { s.waiters.append(Waiter(id: id, deliver: deliver)) }
            return a
        }
        switch now {
        case .wait:
            if let deadline {
                let ns = deadline &- min(deadline, Sys.now())
                Task { [weak self] in
                    try? await Task.sleep(for: .nanoseconds(Int64(ns)))
                    self?.failWaiter(id: id, with: expiry)
                }
            }
        case .lease(let l): deliver(.success(l))
        case .closed: deliver(.failure(HTTPClientError.shutdown))
        }
    }

    /// Fails the queued caller `id`, if it is still waiting.
    func failWaiter(id: UInt64, with error: Error) {
        let w = state.withLock { s -> Waiter? in
            guard let i = s.waiters[s.waitersHead...].firstIndex(where: { $0.id == id }) else { return nil }
            return s.waiters.remove(at: i)
        }
        w?.deliver(.failure(error))
    }

    /// A connection finished its exchange and may be reused (any thread).
    /// Returns false when the pool does not take it (shut down): the caller closes it.
    func release(_ conn: ClientConnection) -> Bool {
        let w = state.withLock { s -> Waiter?? in
            if s.closed { return .none }
            if let w = s.popWaiter() { return .some(w) }
            s.idle.append(conn)
            return .some(nil)
        }
        switch w {
        case .none: return false
        case .some(nil): return true
        case .some(let waiter?):
            waiter.deliver(.success(.reuse(conn)))
            return true
        }
    }

    /// A connection closed (or failed to open): frees its slot, handing it to a waiter.
    func connectionClosed(_ conn: ClientConnection) {
        let w = state.withLock { s -> Waiter? in
            if let i = s.idle.firstIndex(where: { $0 === conn }) { s.idle.remove(at: i) }
            s.open -= 1
            if !s.closed, let w = s.popWaiter() {
                s.open += 1
                return w
            }
            return nil
        }
        w?.deliver(.success(.create))
    }

    /// Stops handing out connections; returns the idle ones (to close) and fails waiters.
    func shutdown() -> [ClientConnection] {
        let (idle, waiters) = state.withLock { s -> ([ClientConnection], [Waiter]) in
            s.closed = true
            let i = s.idle
            s.idle.removeAll()
            let w = Array(s.waiters[s.waitersHead...])
            s.waiters.removeAll()
            s.waitersHead = 0
            return (i, w)
        }
        for w in waiters { w.deliver(.failure(HTTPClientError.shutdown)) }
        return idle
    }
}
