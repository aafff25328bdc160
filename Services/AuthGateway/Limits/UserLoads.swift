import Synchronization

/// The `UserLoad` of every user, made on first use and kept (one small object per user
/// that ever authenticated). Asked only when a principal enters the `Authenticator`'s
/// caches, never per request.
public final class UserLoads: Sendable {
    private let loads = Mutex<[Int64: UserLoad]>([:])

    /// An empty registry.
    public init() {}

    /// The load of `userID` (the same object on every call).
    public func load(of userID: Int64) -> UserLoad {
        loads.withLock { loads in
            if let load = loads[userID] { return load }
            let load = UserLoad()
            loads[userID] = load
            return load
        }
    }
}
