import Synchronization

/// One user's requests in flight at the upstreams, shared by every principal of that user
/// (all its sessions and keys; `UserLoads` hands out one per user). The proxy's hot path
/// finds it through the cached principal and counts with one atomic add: no lock, no
/// actor hop, no allocation.
public final class UserLoad: Sendable {
    private let inFlight = Atomic<Int>(0)

    /// A load with nothing in flight.
    init() {}

    /// Requests of this user in flight now.
    public var count: Int { inFlight.load(ordering: .relaxed) }

    /// Takes a place when fewer than `limit` are taken; false (nothing taken) at the limit.
    @inline(__always)
    func enter(limit: Int) -> Bool {
        if inFlight.wrappingAdd(1, ordering: .relaxed).newValue <= limit { return true }
        inFlight.wrappingSubtract(1, ordering: .relaxed)
        return false
    }

    /// Gives a place back (once per successful `enter`).
    @inline(__always)
    func leave() { inFlight.wrappingSubtract(1, ordering: .relaxed) }
}
