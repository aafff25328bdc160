/// Work a service does besides answering requests (an outbox, session sweeps, model
/// training): `ServiceMain` starts `run()` once the server listens and cancels it after
/// the server has drained, then waits for it to return.
public protocol BackgroundService: Sendable {
    /// A short name for logs.
    var name: String { get }
    /// Runs until the task is cancelled (then returns promptly); an error thrown before
    /// cancellation is logged and the work is not restarted.
    func run() async throws
}
