import Foundation
import ServiceKit

/// Delivers the outbox to `{COMPUTE_URL}/learn` and `/pred` in the background: oldest
/// first, retrying each failed item with exponential back-off. Items stay in the database
/// until delivered, so a restart resumes where it stopped. Never touches client requests.
public actor OutboxPusher: BackgroundService {
    /// For logs.
    public nonisolated let name = "outbox"
    let store: OrchestratorStore
    let baseURL: String
    let client: any ComputeClient
    let logger: Logger
    let retryBase: Double
    let retryMax: Double
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    /// Pushes delivered since start.
    public private(set) var deliveredCount = 0

    /// - Parameters:
    ///   - retryBase: first retry delay in seconds (doubled after each failure).
    ///   - retryMax: the longest retry delay in seconds.
    public init(store: OrchestratorStore, baseURL: String, client: any ComputeClient, logger: Logger,
                retryBase: Double = 0.5, retryMax: Double = 300) {
        self.store = store
        var url = baseURL
        while url.hasSuffix("/") { url.removeLast() }
        self.baseURL = url
        self.client = client
        self.logger = logger
        self.retryBase = retryBase
        self.retryMax = retryMax
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a delivery round now (after a write queued something).
    public nonisolated func poke() { wake.yield() }

    /// Delivers (what is already queued first) until cancelled; queued items stay for
    /// the next start.
    public func run() async {
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

    /// Delivers every due item; returns seconds until the next one falls due, if any.
    private func deliverDue() async -> Double? {
        while !Task.isCancelled {
            let items: [OutboxItem]
            do {
                items = try await store.dueOutbox(limit: 64)
            } catch {
                logger.warning("outbox read failed", [("error", String(describing: error))])
                return retryBase
            }
            if items.isEmpty { break }
            for item in items {
                if Task.isCancelled { return nil }
                await deliver(item)
            }
            if items.count < 64 { break }
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
        try? await store.retryLater(item.id, attempts: attempts, at: Date().timeIntervalSince1970 + delay, error: failure)
    }
}
