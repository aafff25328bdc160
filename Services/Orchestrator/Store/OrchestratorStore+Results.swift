import Contracts
import JSON
import Storage

extension OrchestratorStore {
    // MARK: - Claims

    /// todo → pending with `worker`, as one conditional UPDATE: exactly one concurrent
    /// claim wins. Concurrent claims share a transaction (group commit, see `ClaimBatcher`).
    func claim(_ type: UpletType, id: String, worker: String) async throws -> ClaimBatcher.Outcome {
        try await claims.claim(type, id: id, worker: worker)
    }

    /// Group-commit counters since start: write transactions, claims applied, largest batch.
    public func claimStatistics() async -> (transactions: Int, claims: Int, largestBatch: Int) {
        await (claims.transactions, claims.applied, claims.largestBatch)
    }

    // MARK: - Results

    /// pending → done/failed with a validated result; on done, the next rank starts from
    /// the algo's best model.
    func learnDone(id: String, result: OrchestratorAPI.LearnDoneRequest) async throws {
        let now = clock()
        let push = pushEnabled
        let trainPerf = try result.trainPerf.map(Self.performanceColumn)
        let testPerf = try result.testPerf.map(Self.performanceColumn)
        try await write { conn in
            guard let row = try conn.queryOne(Queries.learnupletForResult, id) else { throw Failure.pageNotFound }
            guard try row.get(2, as: String.self) == OrchestratorAPI.Status.pending.rawValue else { throw Failure.noUpdate(.learnuplet, id) }
            try conn.run(Queries.storeLearnResult, parameters: [result.status.rawValue, result.perf, trainPerf, testPerf, now, id])
            guard result.status == .done else { return }
            let algo: String = try row.get(0)
            let nextRank = try row.get(1, as: Int.self) + 1
            guard let best = try LearnupletCutter.bestModel(conn, algo: algo) else { return }
            let changed = try conn.run(Queries.setModelStart, best, algo, nextRank)
            if changed == 1 && push, let next: String = try conn.queryOne(Queries.learnupletAtRank, algo, nextRank)?.get(0) {
                try Self.enqueue(conn, path: "/learn", document: OrchestratorAPI.Learnuplet.self, uuid: next)
            }
        }
    }

    /// pending → done/failed for a preduplet, with a validated result.
    func predDone(id: String, result: OrchestratorAPI.PredDoneRequest) async throws {
        let now = clock()
        try await write { conn in
            guard let row = try conn.queryOne(Queries.predupletStatus, id) else { throw Failure.pageNotFound }
            guard try row.get(0, as: String.self) == OrchestratorAPI.Status.pending.rawValue else { throw Failure.noUpdate(.preduplet, id) }
            try conn.run(Queries.storePredResult, parameters: [result.status.rawValue, result.predictionStorageUUID, now, id])
        }
    }

    /// Performances as stored: JSON text, keys sorted.
    static func performanceColumn(_ performances: OrchestratorAPI.Performances) throws -> String {
        String(decoding: try JSONWriter.encode(performances), as: UTF8.self)
    }
}
