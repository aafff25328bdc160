import Synchronization

/// Totals the progress line reads while the workers run.
final class LiveCounters: Sendable {
    /// Requests answered (or failed) so far.
    let completed = Atomic<Int>(0)
    /// Of those, answers with a status the scenario did not expect, or none.
    let unexpected = Atomic<Int>(0)

    /// Counts one finished request.
    func record(expected: Bool) {
        completed.add(1, ordering: .relaxed)
        if !expected { unexpected.add(1, ordering: .relaxed) }
    }
}
