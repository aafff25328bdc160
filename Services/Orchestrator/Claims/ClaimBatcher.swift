import JSON
import Storage

/// Group commit for worker claims: claims that arrive while a write is in flight are
/// applied together in the next write transaction, one set-based conditional `UPDATE …
/// WHERE status = 'todo'` per uplet table (`Queries.claimBatch`), and each caller learns
/// its own outcome only after that transaction committed; many workers cost one commit and
/// one statement, not one each.
///
/// Exactly one winner per uplet, in one process and across replicas: within a batch a
/// uuid is submitted once (the first claim; later ones of the same uuid lose); between
/// batches, the row's own atomic update decides (SQLite: one writer at a time; PostgreSQL,
/// at `READ COMMITTED`: a second batch waits for the row lock, then sees the row pending
/// and leaves it). PostgreSQL updates a batch's rows in index order, so two replicas'
/// batches lock rows in the same order and cannot deadlock. One batch of a replica is in
/// flight at a time: on a loaded 2-core machine, several smaller ones in flight (tried:
/// up to 3) made fewer claims/s on PostgreSQL (4,900 against 6,400), each transaction
/// costing the server about as much as the rows it changes.
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

    /// A batcher over `db`.
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
            let requests = batch.map { Request(type: $0.type, id: $0.id, worker: $0.worker) }
            do {
                let outcomes = try await db.write { conn in try Self.apply(requests, conn) }
                for (p, o) in zip(batch, outcomes) { p.continuation.resume(returning: o) }
            } catch {
                for p in batch { p.continuation.resume(throwing: error) }
            }
        }
        flushing = false
    }

    /// One claim of a batch.
    struct Request: Sendable {
        var type: UpletType
        var id: String
        var worker: String
    }

    /// Applies a batch in the caller's write transaction (safe to re-run: database work
    /// only); the outcome of each request, in order.
    static func apply(_ requests: [Request], _ conn: any SQLConnection) throws -> [Outcome] {
        try conn.execute(Queries.readCommittedWrite)
        var outcomes = [Outcome?](repeating: nil, count: requests.count)
        for type in [UpletType.learnuplet, .preduplet] {
            // The first claim of each uuid is submitted; the others lose to it (or find
            // nothing, as it does).
            var first: [String: Int] = [:]
            for (index, request) in requests.enumerated() where request.type == type && first[request.id] == nil {
                first[request.id] = index
            }
            if first.isEmpty { continue }
            let workers = first.mapValues { requests[$0].worker }
            let json = String(decoding: try JSONWriter.encode(workers, capacity: 64 * workers.count), as: UTF8.self)
            var won = Set<String>()
            for row in try conn.query(Queries.claimBatch[type]!, json) { won.insert(try row.get(0)) }
            var existing = won
            if won.count < first.count {
                for row in try conn.query(Queries.claimedExisting[type]!, json) { existing.insert(try row.get(0)) }
            }
            for (index, request) in requests.enumerated() where request.type == type {
                if !existing.contains(request.id) {
                    outcomes[index] = .notFound
                } else {
                    outcomes[index] = first[request.id] == index && won.contains(request.id) ? .won : .lost
                }
            }
        }
        return outcomes.map { $0! }
    }
}
