import ServiceKit

/// Hands the progress other replicas announce (`ProgressRelay`) to this replica's hub, for
/// the `/ws` connections here that follow those jobs.
struct ProgressRelayListener: BackgroundService {
    /// Where announcements come from.
    let relay: ProgressRelay
    /// This replica's hub.
    let hub: ProgressHub

    var name: String { "progress-relay-listener" }

    func run() async throws {
        for await relayed in try await relay.announcements() {
            if Task.isCancelled { return }
            await hub.deliver(relayed.message, owner: relayed.owner)
        }
    }
}
