import Storage

/// Group commit for worker claims: claims that arrive while a write is in flight are
/// applied together in the next write transaction, each as its own conditional
/// `UPDATE … WHERE status = 'todo'`, and each caller learns its own outcome only after
/// that transaction committed. Exactly-one-winner holds per uplet (statements run one
/// after another on the single writer); many workers cost one commit, not one each.
actor ClaimBatcher {
    /// What happened to one claim.
    enum Outcome: Sendable { case won, lost, notFound }

    private struct Pending {
        var type: UpletType
        var id: String
        var worker: String
        var continuation: CheckedContinuation<Outcome, any Error>
    }

    private let db: any SQLDatabase
    private var queue: [Pending] = []
    private var flushing = false
    /// The most claims applied in one transaction.
    static let maxBatch = 512

    /// Write transactions run (for benchmarks).
    private(set) var transactions = 0
    /// Claims applied.
    private(set) var applied = 0
    /// The most claims applied in one transaction so far.
    private(set) var largestBatch = 0

    /// A batcher over `db`'s single writer.
    init(db: any SQLDatabase) { self.db = db }

    /// Claims an uplet for `worker` (todo → pending); returns once durable.
    func claim(_ type: UpletType, id: String, worker: String) async throws -> Outcome {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Outcome, any Error>) in
            queue.append(Pending(type: type, id: id, worker: worker, continuation: c))
            if !flushing {
                flushing = true
                Task { await self.flush() }
            }
        }
    }

    /// How many times a flush yields to let in-flight requests join its batch.
    static let gatherYields = 4

    private func flush() async {
        while !queue.isEmpty {
            // Let the requests already running reach the queue before the transaction
            // starts: each yield lets other ready tasks run (no timer, no added latency
            // when nothing else is runnable); fewer, larger commits.
            var yields = 0
            while yields < Self.gatherYields && queue.count < Self.maxBatch {
                let before = queue.count
                await Task.yield()
                yields += 1
                if queue.count == before && yields > 1 { break }
            }
            var batch: [Pending] = []
            if queue.count <= Self.maxBatch {
                swap(&batch, &queue)
            } else {
                batch = Array(queue.prefix(Self.maxBatch))
                queue.removeFirst(Self.maxBatch)
            }
            let n = batch.count
            transactions += 1
            applied += n
            largestBatch = max(largestBatch, n)
            let requests = batch.map { ($0.type, $0.id, $0.worker) }
            do {
                let outcomes = try await db.write { conn in
                    try requests.map { type, id, worker -> Outcome in
                        if try conn.run(Queries.claim[type]!, worker, id) == 1 { return .won }
                        return try conn.queryOne(Queries.upletExists[type]!, id) == nil ? .notFound : .lost
                    }
                }
                for (p, o) in zip(batch, outcomes) { p.continuation.resume(returning: o) }
            } catch {
                for p in batch { p.continuation.resume(throwing: error) }
            }
        }
        flushing = false
    }
}
