import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ServiceKit
import Storage

/// One queued push to compute.
struct OutboxItem: Sendable {
    var id: Int64
    var path: String
    var payload: String
    var attempts: Int
}

extension OrchestratorStore {
    /// Queues a document for compute, inside the caller's transaction.
    static func enqueue(_ conn: any SQLConnection, path: String, collection: Collection, uuid: String) throws {
        guard let doc = try document(conn, collection, uuid: uuid) else { return }
        let now = Date().timeIntervalSince1970
        try conn.run("INSERT INTO outbox (path, payload, attempts, next_attempt_at, created_at) VALUES (?, ?, 0, ?, ?)",
                     path, String(decoding: doc, as: UTF8.self), now, now)
    }

    /// Items due now, oldest first.
    func dueOutbox(limit: Int) async throws -> [OutboxItem] {
        let now = Date().timeIntervalSince1970
        return try await db.read { conn in
            try conn.query("SELECT id, path, payload, attempts FROM outbox WHERE next_attempt_at <= ? ORDER BY id LIMIT ?", now, limit).map {
                OutboxItem(id: (try? $0.get(0, as: Int64.self)) ?? 0, path: $0.text(1), payload: $0.text(2), attempts: $0.int(3) ?? 0)
            }
        }
    }

    /// Removes a delivered item.
    func delivered(_ id: Int64) async throws {
        try await db.write { try $0.run("DELETE FROM outbox WHERE id = ?", id) }
    }

    /// Schedules another attempt.
    func retryLater(_ id: Int64, attempts: Int, at time: Double, error: String) async throws {
        try await db.write { try $0.run("UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?", attempts, time, error, id) }
    }

    /// When the next item falls due (Unix seconds), or nil when the outbox is empty.
    func nextOutboxDue() async throws -> Double? {
        try await db.read { try $0.queryOne("SELECT MIN(next_attempt_at) FROM outbox")?.double(0) }
    }

    /// Items still waiting (tests, metrics).
    public func outboxCount() async throws -> Int {
        try await db.read { try $0.queryOne("SELECT COUNT(*) FROM outbox")?.int(0) ?? 0 }
    }
}

/// How the orchestrator POSTs JSON to compute; a pooled client of our own can replace
/// the URLSession one.
public protocol ComputeClient: Sendable {
    /// POSTs `body` as JSON to `url`; returns the HTTP status (throws on transport errors).
    func postJSON(_ url: String, body: [UInt8]) async throws -> Int
}

/// `ComputeClient` over Foundation's URLSession.
public final class URLSessionComputeClient: ComputeClient {
    private let session: URLSession

    /// - Parameter timeout: per-request timeout in seconds.
    public init(timeout: Double = 10) {
        let c = URLSessionConfiguration.ephemeral
        c.timeoutIntervalForRequest = timeout
        c.timeoutIntervalForResource = timeout
        session = URLSession(configuration: c)
    }

    public func postJSON(_ url: String, body: [UInt8]) async throws -> Int {
        guard let u = URL(string: url) else { throw URLError(.badURL) }
        var request = URLRequest(url: u)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body)
        let session = self.session
        return try await withCheckedThrowingContinuation { (c: CheckedContinuation<Int, any Error>) in
            let task = session.dataTask(with: request) { _, response, error in
                if let error { c.resume(throwing: error); return }
                c.resume(returning: (response as? HTTPURLResponse)?.statusCode ?? 0)
            }
            task.resume()
        }
    }
}

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
