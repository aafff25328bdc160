import ServiceKit

extension TestSupport {
    /// Runs blocking work (a blocking socket, a child process's output, `waitUntilExit`)
    /// on a thread of its own and awaits it; every test does its blocking through this.
    ///
    /// Swift Testing runs every test, synchronous ones included, on the cooperative pool:
    /// two threads on a two-core machine. A test blocking one of them while the server it
    /// waits for (or any other test) needs the pool stalls them all; under load this made
    /// unrelated tests finish seconds late together and `eventually` deadlines run out.
    /// Expectations (`#expect`, `#require`) stay outside `work`: they need the test's task.
    public static func blocking<Value: Sendable, Failure: Error>(
        _ work: @escaping @Sendable () throws(Failure) -> Value
    ) async throws(Failure) -> Value {
        try await DedicatedThread.run(name: "test-blocking", work)
    }
}
