import Foundation
import ServiceKit

/// Delivers the outbox to `{COMPUTE_URL}/learn` and `/pred` in the background: oldest
/// first, retrying each failed item with exponential back-off. Items stay in the database
/// until delivered, so a restart resumes where it stopped. Never touches client requests.
///
/// With replicas, each item is delivered by one of them: a round leases a few due items
/// (`OrchestratorStore.leaseOutbox`, `FOR UPDATE SKIP LOCKED` on PostgreSQL) for long
/// enough to push each of them within `COMPUTE_TIMEOUT_S`; the items of a replica that
/// dies are due again when their lease ends, and another replica's timer (set to the next
/// due time, lease ends included) picks them up. Every committed enqueue notifies every
/// replica (`listen`), so a pusher wakes for work queued anywhere.
public actor OutboxPusher: BackgroundService {
    /// For logs.
    public nonisolated let name = "outbox"
    let store: OrchestratorStore
    let baseURL: String
    let client: any ComputeClient
    let logger: Logger
    let retryBase: Double
    let retryMax: Double
    /// How long one round holds its items: long enough to push each in turn, each within
    /// the push timeout.
    let leaseSeconds: Double
    /// Items leased per round.
    static let leaseBatch = 8
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    /// Pushes delivered since start.
    public private(set) var deliveredCount = 0

    /// - Parameters:
    ///   - retryBase: first retry delay in seconds (doubled after each failure).
    ///   - retryMax: the longest retry delay in seconds.
    ///   - pushTimeout: the longest one push may take, in seconds (sets the lease).
    public init(store: OrchestratorStore, baseURL: String, client: any ComputeClient, logger: Logger,
                retryBase: Double = 0.5, retryMax: Double = 300, pushTimeout: Double = 10) {
        self.store = store
        var url = baseURL
        while url.hasSuffix("/") { url.removeLast() }
        self.baseURL = url
        self.client = client
        self.logger = logger
        self.retryBase = retryBase
        self.retryMax = retryMax
        leaseSeconds = Double(Self.leaseBatch) * (max(pushTimeout, 0.001) + 1)
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a delivery round now.
    public nonisolated func poke() { wake.yield() }

    /// Delivers (what is already queued first) until cancelled; queued items stay for
    /// the next start.
    public func run() async {
        let listener = await listenForEnqueues()
        defer { listener?.cancel() }
        wake.yield()
        var timer: Task<Void, Never>?
        for await _ in wakeups {
            timer?.cancel()
            if Task.isCancelled { break }
            let delay = await deliverDue()
            if Task.isCancelled { break }
            if let delay {
                let wake = self.wake
                timer = Task {
                    try? await Task.sleep(for: .milliseconds(Int(max(delay, 0.001) * 1000)))
                    if !Task.isCancelled { wake.yield() }
                }
            }
        }
        timer?.cancel()
    }

    /// A task that pokes this pusher whenever any replica commits an enqueue (or the
    /// notifications may have been missed); nil when listening failed (then only this
    /// process's timer wakes it).
    private func listenForEnqueues() async -> Task<Void, Never>? {
        do {
            let notifications = try await store.db.listen(channel: OrchestratorStore.outboxChannel)
            let wake = self.wake
            return Task {
                for await _ in notifications { wake.yield() }
            }
        } catch {
            logger.warning("cannot listen for outbox notifications; other replicas' pushes wait for this one's timer",
                           [("error", String(describing: error))])
            return nil
        }
    }

    /// Delivers every due item; returns seconds until the next one falls due, if any.
    private func deliverDue() async -> Double? {
        while !Task.isCancelled {
            let items: [OutboxItem]
            do {
                items = try await store.leaseOutbox(limit: Self.leaseBatch, seconds: leaseSeconds)
            } catch {
                logger.warning("outbox lease failed", [("error", String(describing: error))])
                return retryBase
            }
            if items.isEmpty { break }
            for (index, item) in items.enumerated() {
                if Task.isCancelled {
                    // Stopping: what this round still holds is due again at once (for the
                    // next start, or another replica) rather than when the lease ends.
                    for unsent in items[index...] { try? await store.releaseLease(unsent) }
                    return nil
                }
                await deliver(item)
            }
            if items.count < Self.leaseBatch { break }
        }
        guard let next = try? await store.nextOutboxDue() else { return nil }
        return max(0, next - Date().timeIntervalSince1970)
    }

    private func deliver(_ item: OutboxItem) async {
        var failure: String
        do {
            let status = try await client.postJSON(baseURL + item.path, body: Array(item.payload.utf8))
            if (200..<300).contains(status) {
                try await store.delivered(item.id)
                deliveredCount += 1
                return
            }
            failure = "compute answered \(status)"
        } catch {
            failure = String(describing: error)
        }
        let attempts = item.attempts + 1
        let delay = min(retryMax, retryBase * pow(2, Double(min(attempts - 1, 40))))
        logger.warning("compute push failed; will retry", [("path", item.path), ("attempts", attempts), ("retry_in_s", delay), ("error", failure)])
        try? await store.retryLater(item, attempts: attempts, at: Date().timeIntervalSince1970 + delay, error: failure)
    }
}
