import Synchronization

/// Runs work against a deadline: the first of the work and the timer resumes the caller.
final class DeadlineRace<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value?, Never>?
        var done = false
        var tasks: [Task<Void, Never>] = []
    }
    private let state = Mutex(State())

    /// Runs `work` and returns its value, or nil once `budget` has passed (the work is then
    /// cancelled and left to finish on its own; the caller does not wait for it).
    static func run(within budget: Duration, _ work: @escaping @Sendable () async -> Value) async -> Value? {
        let race = DeadlineRace<Value>()
        let value = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
                race.begin(continuation, work: work, budget: budget)
            }
        } onCancel: {
            race.finish(nil)
        }
        race.cancelTasks()
        return value
    }

    /// Starts the work and the timer (or resumes at once when the race is already over).
    private func begin(_ continuation: CheckedContinuation<Value?, Never>, work: @escaping @Sendable () async -> Value,
                       budget: Duration) {
        let early = state.withLock { state -> Bool in
            if state.done { return true }
            state.continuation = continuation
            return false
        }
        if early {
            continuation.resume(returning: nil)
            return
        }
        let worker = Task { self.finish(await work()) }
        let timer = Task {
            try? await Task.sleep(for: budget)
            self.finish(nil)
        }
        state.withLock { $0.tasks += [worker, timer] }
    }

    /// Ends the race with `value` (nil: timed out or cancelled); only the first call resumes the caller.
    private func finish(_ value: Value?) {
        let continuation = state.withLock { state -> CheckedContinuation<Value?, Never>? in
            state.done = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(returning: value)
    }

    /// Cancels the work and the timer.
    private func cancelTasks() {
        for task in state.withLock({ $0.tasks }) { task.cancel() }
    }
}
