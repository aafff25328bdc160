import Synchronization

/// A one-shot gate: tasks `wait()` on it until the test opens it; once open, waiting
/// returns at once.
public final class TestGate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    /// A closed gate.
    public init() {}

    /// How many wait now (before it opens).
    public var waiting: Int { state.withLock { $0.waiters.count } }

    /// Returns when the gate is open.
    public func wait() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { gate -> Bool in
                if gate.open { return true }
                gate.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Opens the gate: every waiter goes on, and so will later ones.
    public func open() {
        let waiters = state.withLock { gate -> [CheckedContinuation<Void, Never>] in
            gate.open = true
            defer { gate.waiters = [] }
            return gate.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
