/// A service's background services, running: one task each, started at once, cancelled
/// and awaited by `stop()`.
public final class BackgroundWork: Sendable {
    private let tasks: [Task<Void, Never>]

    /// Starts `run()` of each service in a task of its own; an error other than
    /// cancellation is logged.
    public init(_ services: [any BackgroundService], logger: Logger) {
        tasks = services.map { service in
            Task {
                do {
                    try await service.run()
                } catch is CancellationError {
                } catch {
                    if !Task.isCancelled {
                        logger.error("background service failed", [("service", service.name), ("error", String(describing: error))])
                    }
                }
            }
        }
    }

    /// Cancels every task and waits until each has returned.
    public func stop() async {
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }
}
