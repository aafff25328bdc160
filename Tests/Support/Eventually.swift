/// Waits (polling, without blocking a thread) until `condition` holds or `timeout` has
/// passed; returns whether it held. The timeout is a hang guard, not a speed assertion:
/// on a loaded two-core machine a push or a start-up can take many seconds, so the
/// default is generous and a test should `#require` the result before it relies on it.
public func eventually(timeout: Duration = .seconds(300), polling interval: Duration = .milliseconds(20),
                       _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}
