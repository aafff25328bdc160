import Synchronization

/// A value delivered once, awaited once: the answer to one kernel or zygote request.
/// Fulfilling it again does nothing (the first result wins: an answer or a timeout).
final class Promise<Value: Sendable>: Sendable {
    private struct State {
        var result: Result<Value, KernelError>?
        var waiter: CheckedContinuation<Value, any Error>?
    }
    private let state = Mutex(State())

    /// A pending promise.
    init() {}

    /// Delivers the result; false when one was delivered before.
    @discardableResult
    func fulfil(_ result: Result<Value, KernelError>) -> Bool {
        let (accepted, waiter) = state.withLock { s -> (Bool, CheckedContinuation<Value, any Error>?) in
            guard s.result == nil else { return (false, nil) }
            s.result = result
            let waiter = s.waiter
            s.waiter = nil
            return (true, waiter)
        }
        waiter?.resume(with: result.mapError { $0 as any Error })
        return accepted
    }

    /// Whether a result has been delivered.
    var isFulfilled: Bool { state.withLock { $0.result != nil } }

    /// Waits for the result.
    func value() async throws -> Value {
        try await withCheckedThrowingContinuation { waiter in
            let ready = state.withLock { s -> Result<Value, KernelError>? in
                if let result = s.result { return result }
                s.waiter = waiter
                return nil
            }
            if let ready { waiter.resume(with: ready.mapError { $0 as any Error }) }
        }
    }
}
