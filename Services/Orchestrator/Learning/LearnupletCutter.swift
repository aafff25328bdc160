import Contracts
import Crypto
import Storage

/// The cutting rule, inside a write transaction: ordered train ids become chunks of
/// `size_train_dataset` ids, each chunk a todo learnuplet of the next rank; where an algo's
/// chain continues and from which model.
enum LearnupletCutter {
    /// Where an algo's chain continues: after its highest rank, from its best model
    /// (highest perf among its done learnuplets, else the model_end of its highest rank);
    /// an algo with no learnuplets starts at rank 0 from its own uuid.
    static func continuation(_ conn: any SQLConnection, algo: String) throws -> (rank: Int, model: String) {
        guard let last = try conn.queryOne(Queries.lastRankOfAlgo, algo) else { return (0, algo) }
        let next = try last.get(0, as: Int.self) + 1
        if let best = try bestModel(conn, algo: algo) { return (next, best) }
        return (next, try last.get(1))
    }

    /// The model_end of the algo's best-perf done learnuplet (ties: the earliest rank).
    static func bestModel(_ conn: any SQLConnection, algo: String) throws -> String? {
        try conn.queryOne(Queries.bestModelOfAlgo, algo)?.get(0)
    }

    /// How many chunks (learnuplets per algo) `count` train ids make.
    static func chunkCount(_ count: Int, size: Int) -> Int {
        let size = max(1, size)
        return count / size + (count % size == 0 ? 0 : 1)
    }

    /// Cuts ordered train ids into consecutive chunks of `size` ids (the last may be
    /// shorter) and returns their ids in `chunk`, reusing an identical stored chunk.
    static func chunks(_ conn: any SQLConnection, train: [String], size: Int) throws -> [Int64] {
        let size = max(1, size)
        var ids: [Int64] = []
        ids.reserveCapacity(train.count / size + 1)
        var start = 0
        while start < train.count {
            let end = min(start + size, train.count)
            let part = train[start..<end]
            let json = ListColumnDecoder.encode(Array(part))
            let hash = Int64(bitPattern: FNV1a64.hash(json))
            var found: Int64?
            try conn.forEach(Queries.chunksWithHash, parameters: [hash]) { row in
                if found == nil, try row.get(1, as: String.self) == json { found = try row.get(0) }
            }
            if let found {
                ids.append(found)
            } else {
                let id: Int64 = try conn.queryOne(Queries.insertChunk, hash, json)!.get(0)
                for data in part { try conn.run(Queries.insertChunkData, data, id) }
                ids.append(id)
            }
            start = end
        }
        return ids
    }

    /// Makes one learnuplet per chunk, ranks from `rank`; the first starts from
    /// `startModel`, the rest from null; the first is queued for compute when `push`.
    /// Returns how many.
    static func cut(_ conn: any SQLConnection, problem: ProblemInfo, algo: String, chunks: [Int64], rank firstRank: Int,
                    startModel: String, now: Int, push: Bool) throws -> Int {
        for (k, chunk) in chunks.enumerated() {
            let uuid = OrchestratorStore.newUUID()
            let model: String? = k == 0 ? startModel : nil
            try conn.run(Queries.insertLearnuplet, parameters: [uuid, problem.uuid, problem.workflow, algo, model,
                                                                OrchestratorStore.newUUID(), chunk, problem.testJSON, firstRank + k, now])
            if k == 0 && push {
                try OrchestratorStore.enqueue(conn, path: "/learn", document: OrchestratorAPI.Learnuplet.self, uuid: uuid)
            }
        }
        return chunks.count
    }
}
