import Synchronization

/// A side effect run inside a write transaction at most once, however often the transaction
/// runs (PostgreSQL runs a write closure again after a serialization failure): a file move
/// done by the first attempt is not done again by the retry, which gets the first result.
final class StepOnce<Result: Sendable>: Sendable {
    private let step: @Sendable () throws -> Result
    private let outcome = Mutex<Result?>(nil)

    /// Wraps `step`.
    init(_ step: @escaping @Sendable () throws -> Result) { self.step = step }

    /// Runs the step the first time (a throw lets the next call try again); afterwards
    /// returns what it returned.
    func run() throws -> Result {
        try outcome.withLock { done in
            if let done { return done }
            let result = try step()
            done = result
            return result
        }
    }
}
