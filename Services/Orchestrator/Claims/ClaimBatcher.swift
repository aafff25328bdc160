import JSON
import Storage

/// Group commit for worker claims: claims that arrive while a write is in flight are
/// applied together in the next write, one set-based conditional `UPDATE … WHERE status =
/// 'todo'` per uplet table (`Queries.claimBatch`), and each caller learns its own outcome
/// only after that statement committed; many workers cost one commit and one statement,
/// not one each.
///
/// Exactly one winner per uplet, in one process and across replicas: within a batch a
/// uuid is submitted once (the first claim; later ones of the same uuid lose); between
/// batches, the row's own atomic update decides (SQLite: one writer at a time; PostgreSQL:
/// the statement runs on its own at `READ COMMITTED` (`SQLDatabase.writeStatement`), so a
/// second batch waits for the row lock, then sees the row pending and leaves it).
/// PostgreSQL updates a batch's rows in index order, so two replicas' batches lock rows in
/// the same order and cannot deadlock; in autocommit, one round trip per batch, and a
/// batch's row locks are released as its statement ends, not a round trip later.
///
/// One batch of a replica is in flight at a time: two or more smaller ones in flight made
/// fewer claims/s on PostgreSQL, each statement costing the server about as much as the
/// rows it changes (tried twice: up to 3 transactions in flight, 4,900 claims/s against
/// 6,400 on a loaded machine; 2 single statements in flight, median 8,256 against 9,790 on
/// a quiet one).
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

    /// Claim statements run, each a write of its own (for benchmarks).
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
            applied += n
            largestBatch = max(largestBatch, n)
            // Each uplet table's claims are one statement: a failure answers only its own.
            for type in [UpletType.learnuplet, .preduplet] {
                let claims = batch.filter { $0.type == type }
                if claims.isEmpty { continue }
                transactions += 1
                do {
                    let outcomes = try await Self.apply(type, claims.map { Request(id: $0.id, worker: $0.worker) }, db)
                    for (pending, outcome) in zip(claims, outcomes) { pending.continuation.resume(returning: outcome) }
                } catch {
                    for pending in claims { pending.continuation.resume(throwing: error) }
                }
            }
        }
        flushing = false
    }

    /// One claim of a batch.
    struct Request: Sendable {
        var id: String
        var worker: String
    }

    /// Applies a batch of claims of one uplet table in one statement of its own; the
    /// outcome of each request, in order. Whether an uplet that was not won exists is in the
    /// statement's answer on PostgreSQL; on SQLite (or for a uuid that exists nowhere) a read
    /// after it tells (uplets are never deleted).
    static func apply(_ type: UpletType, _ requests: [Request], _ db: any SQLDatabase) async throws -> [Outcome] {
        // The first claim of each uuid is submitted; the others lose to it (or find
        // nothing, as it does).
        var first: [String: Int] = [:]
        for (index, request) in requests.enumerated() where first[request.id] == nil { first[request.id] = index }
        let workers = first.mapValues { requests[$0].worker }
        let json = String(decoding: try JSONWriter.encode(workers, capacity: 64 * workers.count), as: UTF8.self)
        let answered = try await db.writeStatement { conn in
            try conn.query(Queries.claimBatch[type]!, json).map { (uuid: try $0.get(0, as: String.self), won: try $0.get(1, as: Int64.self) == 1) }
        }
        let won = Set(answered.lazy.filter(\.won).map(\.uuid))
        var existing = Set(answered.map(\.uuid))
        if existing.count < first.count {
            let found = try await db.read { conn in try conn.query(Queries.claimedExisting[type]!, json).map { try $0.get(0, as: String.self) } }
            existing.formUnion(found)
        }
        return requests.enumerated().map { index, request in
            guard existing.contains(request.id) else { return .notFound }
            return first[request.id] == index && won.contains(request.id) ? .won : .lost
        }
    }
}
