import Synchronization

/// Whether a service can do its job yet. `/health` answers 503 `{"status":"starting"}`
/// until `markReady()`, then `{"status":"healthy"}`; handlers that need what start-up
/// builds can wait for it (bounded) with `waitUntilReady(timeout:)`.
public final class Readiness: Sendable {
    private let state: Mutex<State>

    private struct State {
        var ready: Bool
        var nextWaiter: UInt64 = 0
        /// Suspended waiters by id.
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        /// Waiters whose time ran out before they suspended.
        var expired: Set<UInt64> = []
    }

    /// `ready: true` for a service that is ready as soon as it listens.
    public init(ready: Bool) {
        state = Mutex(State(ready: ready))
    }

    /// Whether the service is ready.
    public var isReady: Bool { state.withLock { $0.ready } }

    /// Marks the service ready and wakes every waiter (idempotent).
    public func markReady() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.ready = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Waits until the service is ready or `timeout` has passed; returns whether it is ready.
    public func waitUntilReady(timeout: Duration) async -> Bool {
        let id = state.withLock { state -> UInt64? in
            if state.ready { return nil }
            state.nextWaiter += 1
            return state.nextWaiter
        }
        guard let id else { return true }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.suspend(id) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.expire(id)
            }
            await group.next()
            group.cancelAll()
        }
        state.withLock { _ = $0.expired.remove(id) }
        return isReady
    }

    private func suspend(_ id: UInt64) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.ready || state.expired.remove(id) != nil { return true }
                state.waiters[id] = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Ends one waiter's wait (its time ran out, or it has already finished).
    private func expire(_ id: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
            if !state.ready { state.expired.insert(id) }
            return nil
        }
        waiter?.resume()
    }
}
