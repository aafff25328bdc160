import Synchronization

/// One user's place in the `TunnelRegistry`, held while a tunnel is open; released once,
/// explicitly or when the lease is dropped.
public final class TunnelLease: Sendable {
    private let registry: TunnelRegistry
    private let userID: Int64
    private let released = Atomic<Bool>(false)

    /// A place of `userID`'s, already counted by `registry`.
    init(registry: TunnelRegistry, userID: Int64) {
        self.registry = registry
        self.userID = userID
    }

    /// Gives the place back (later calls do nothing).
    public func release() {
        if !released.exchange(true, ordering: .acquiringAndReleasing) { registry.release(userID: userID) }
    }

    deinit { release() }
}
