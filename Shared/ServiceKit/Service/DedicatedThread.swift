import Foundation

/// Runs work that blocks (waiting on a child process, a blocking read) or computes for a
/// long time (training a model) on a thread of its own, and awaits its result.
///
/// Swift's cooperative pool has one thread per core, two on a two-core machine, and
/// `Task.detached` runs on that same pool: work there that takes seconds keeps every
/// other task waiting meanwhile, request handlers included. A dedicated thread leaves
/// the pool to them. Not for short work: starting a thread costs tens of microseconds.
public enum DedicatedThread {
    /// Runs `work` on a new thread named `name` and returns (or throws) what it did.
    public static func run<Value: Sendable, Failure: Error>(
        name: String = "dedicated", _ work: @escaping @Sendable () throws(Failure) -> Value
    ) async throws(Failure) -> Value {
        let result: Result<Value, Failure> = await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: Result { () throws(Failure) -> Value in try work() }) }
            thread.name = name
            thread.start()
        }
        return try result.get()
    }
}
