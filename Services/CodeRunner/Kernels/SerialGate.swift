/// A first-come, first-served async lock: one session's requests reach its kernel one at
/// a time, in arrival order.
actor SerialGate {
    private var held = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Whether someone holds the gate.
    var isBusy: Bool { held }

    /// Waits for the gate.
    func acquire() async {
        if !held {
            held = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Hands the gate to the next waiter, or opens it.
    func release() {
        if waiters.isEmpty {
            held = false
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Runs `body` holding the gate.
    nonisolated func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }
}
