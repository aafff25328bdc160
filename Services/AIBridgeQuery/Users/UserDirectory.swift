import Synchronization

/// The names of the users the service has seen, learnt from the identity headers of every
/// request (queries and bridge calls alike) and kept in the store's `app_user` table, so
/// `initiator:<name>` finds a user and answers carry their name. A pair already known is
/// not written again (an in-memory copy is checked first).
final class UserDirectory: Sendable {
    private let store: AIBridgeStore
    private let known = Mutex<[String: String]>([:])

    /// A directory writing to `store`.
    init(store: AIBridgeStore) {
        self.store = store
    }

    /// Records that `id` goes by `name`, unless already known.
    func saw(id: String, name: String) async throws {
        if known.withLock({ $0[id] == name }) { return }
        try await store.rememberUser(id: id, name: name)
        known.withLock { $0[id] = name }
    }
}
