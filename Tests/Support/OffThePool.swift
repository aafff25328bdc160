import Foundation

/// Runs blocking work (socket reads, waiting on a child) on a thread of its own and
/// awaits it. A test that blocks a cooperative thread in a read can starve a server
/// side that answers from a task on that same pool: with two cores the pool has two
/// threads, and tests running in parallel can hold both.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { c in Thread { c.resume(returning: body()) }.start() }
}

/// The same for work that throws.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in Thread { c.resume(with: Result { try body() }) }.start() }
}
