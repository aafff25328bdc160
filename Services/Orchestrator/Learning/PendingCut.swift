import Storage

/// One algo's chain to continue over a `POST /data`'s new chunks, recorded (table
/// `pending_cut`) in the transaction that stored the data and applied in a later one
/// (with other algos, up to `LEARNUPLETS_PER_TRANSACTION`), so that a `POST /data` over
/// many algos lets other writers in between.
struct PendingCut: Sendable {
    /// The row's id.
    var id: Int64
    /// The algo's problem.
    var problem: ProblemInfo
    /// The algo whose chain continues.
    var algo: String
    /// The new chunks, in order.
    var chunks: [Int64]
    /// The data's upload time (the learnuplets' creation time).
    var createdAt: Int

    /// Consecutive groups of `cuts`, each closed once it makes at least `learnuplets`
    /// (an algo is never split).
    static func batches(_ cuts: [PendingCut], learnuplets: Int) -> [[PendingCut]] {
        var batches: [[PendingCut]] = []
        var current: [PendingCut] = []
        var size = 0
        for cut in cuts {
            current.append(cut)
            size += cut.chunks.count
            if size >= learnuplets {
                batches.append(current)
                current = []
                size = 0
            }
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    /// The chunk ids as stored.
    static func column(_ chunks: [Int64]) -> String { chunks.map(String.init).joined(separator: ",") }

    /// The pending continuation `id`, or nil when it was applied already.
    static func load(_ conn: any SQLConnection, id: Int64) throws -> PendingCut? {
        guard let row = try conn.queryOne(Queries.pendingCut, id),
              let problem = try ProblemInfo.load(conn, try row.get(0)) else { return nil }
        let chunks = try row.get(2, as: String.self).split(separator: ",").compactMap { Int64($0) }
        return PendingCut(id: id, problem: problem, algo: try row.get(1), chunks: chunks, createdAt: try row.get(3))
    }

    /// Continues the algo's chain (after its highest rank, from its best model) and deletes
    /// the row, in the caller's transaction; returns how many learnuplets were made (0 when
    /// the row was applied already).
    func apply(_ conn: any SQLConnection, push: Bool) throws -> Int {
        guard try conn.run(Queries.deletePendingCut, id) == 1 else { return 0 }
        let (rank, model) = try LearnupletCutter.continuation(conn, algo: algo)
        return try LearnupletCutter.cut(conn, problem: problem, algo: algo, chunks: chunks, rank: rank,
                                        startModel: model, now: createdAt, push: push)
    }
}
