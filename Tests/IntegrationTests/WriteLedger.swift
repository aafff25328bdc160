import Synchronization

/// What concurrent writers through two gateways were told, for a test that kills a replica
/// meanwhile: the ids each gateway acknowledged, every answer that was not an
/// acknowledgement, and whether (and after how many writes) the replica was killed.
final class WriteLedger: Sendable {
    /// An answer that was not an acknowledgement.
    struct Refusal: Sendable, CustomStringConvertible {
        /// The gateway it came through.
        let gateway: Int
        /// Its status (0: no response at all).
        let status: Int
        /// Its body, or the error.
        let body: String
        /// Whether the replica had been killed before the write was sent.
        let afterKill: Bool

        var description: String { "gateway \(gateway): \(status) \(afterKill ? "after" : "before or during") the kill: \(body.prefix(200))" }
    }

    private struct State {
        var acknowledged: [Int: [String]] = [:]
        var acknowledgedAfterKill: [Int: Int] = [:]
        var refusals: [Refusal] = []
        var killed = false
    }

    private let state = Mutex(State())

    /// Records that gateway `gateway` acknowledged the write of `id` (`sentAfterKill`: sent
    /// once the replica was dead).
    func acknowledge(_ id: String, gateway: Int, sentAfterKill: Bool) {
        state.withLock {
            $0.acknowledged[gateway, default: []].append(id)
            if sentAfterKill { $0.acknowledgedAfterKill[gateway, default: 0] += 1 }
        }
    }

    /// Records an answer that was not an acknowledgement.
    func refuse(_ refusal: Refusal) { state.withLock { $0.refusals.append(refusal) } }

    /// Marks the replica killed: writes sent from now on are after the kill.
    func markKilled() { state.withLock { $0.killed = true } }

    /// Whether the replica has been killed.
    var killed: Bool { state.withLock { $0.killed } }

    /// The ids gateway `gateway` acknowledged.
    func acknowledged(through gateway: Int) -> [String] { state.withLock { $0.acknowledged[gateway] ?? [] } }

    /// How many writes sent after the kill gateway `gateway` acknowledged.
    func acknowledgedAfterKill(through gateway: Int) -> Int { state.withLock { $0.acknowledgedAfterKill[gateway] ?? 0 } }

    /// Every answer that was not an acknowledgement.
    var refusals: [Refusal] { state.withLock { $0.refusals } }
}
