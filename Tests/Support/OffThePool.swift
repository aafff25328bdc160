/// Runs blocking work (socket reads, waiting on a child) on a thread of its own and
/// awaits it: `TestSupport.blocking` under the name the protocol tests use.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await TestSupport.blocking(body)
}

/// The same for work that throws.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await TestSupport.blocking(body)
}
