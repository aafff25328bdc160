/// One writer at a time per task: an update reads the current files, applies the change and
/// swaps the new version in, so two updates of one task must not interleave.
actor TaskLocks {
    private var held: Set<String> = []
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Runs `body` while holding task `id`'s lock.
    func withLock<T: Sendable>(_ id: String, _ body: @Sendable () async throws -> T) async throws -> T {
        await acquire(id)
        do {
            let value = try await body()
            release(id)
            return value
        } catch {
            release(id)
            throw error
        }
    }

    private func acquire(_ id: String) async {
        if held.insert(id).inserted { return }
        await withCheckedContinuation { waiters[id, default: []].append($0) }
    }

    private func release(_ id: String) {
        if var queue = waiters[id], !queue.isEmpty {
            let next = queue.removeFirst()
            waiters[id] = queue.isEmpty ? nil : queue
            next.resume()  // the lock passes straight to the next waiter
        } else {
            held.remove(id)
        }
    }
}
