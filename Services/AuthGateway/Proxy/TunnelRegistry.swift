import Synchronization

/// The open WebSocket tunnels, counted per user against a cap (`WS_MAX_TUNNELS_PER_USER`).
public final class TunnelRegistry: Sendable {
    /// Most tunnels one user may hold open at once.
    public let maxPerUser: Int
    private let perUser = Mutex<[Int64: Int]>([:])
    private let total = Atomic<Int>(0)

    /// A registry with a per-user cap.
    public init(maxPerUser: Int) { self.maxPerUser = maxPerUser }

    /// Tunnels open now, all users together.
    public var openCount: Int { total.load(ordering: .relaxed) }

    /// Tunnels `userID` holds open now.
    public func openCount(userID: Int64) -> Int { perUser.withLock { $0[userID] ?? 0 } }

    /// A place for one more tunnel of `userID`, or nil at the cap. Release it when the
    /// tunnel ends (a dropped lease releases itself).
    public func open(userID: Int64) -> TunnelLease? {
        let admitted = perUser.withLock { counts -> Bool in
            let open = counts[userID] ?? 0
            guard open < maxPerUser else { return false }
            counts[userID] = open + 1
            return true
        }
        guard admitted else { return nil }
        total.add(1, ordering: .relaxed)
        return TunnelLease(registry: self, userID: userID)
    }

    /// Gives a place back (once per lease).
    func release(userID: Int64) {
        perUser.withLock { counts in
            let left = (counts[userID] ?? 1) - 1
            counts[userID] = left > 0 ? left : nil
        }
        total.subtract(1, ordering: .relaxed)
    }
}
