import Contracts
import Storage

extension OrchestratorStore {
    // MARK: - Problem

    /// Stores a problem; returns its document.
    func createProblem(_ request: OrchestratorAPI.CreateProblemRequest) async throws -> OrchestratorAPI.Problem {
        let now = clock()
        let testJSON = ListColumnDecoder.encode(request.testDataset)
        return try await write { conn in
            try conn.run(Queries.insertProblem, request.uuid, request.workflow, testJSON, request.sizeTrainDataset, now)
            for data in request.testDataset { try conn.run(Queries.insertProblemTestData, request.uuid, data) }
            return OrchestratorAPI.Problem(uuid: request.uuid, workflow: request.workflow, testDataset: request.testDataset,
                                           sizeTrainDataset: request.sizeTrainDataset, timestampUpload: now)
        }
    }

    // MARK: - Algo

    /// Stores an algo and cuts its problem's train data into learnuplets (rank 0 from the
    /// algo); returns its document and how many learnuplets were made.
    func createAlgo(_ request: OrchestratorAPI.CreateAlgoRequest) async throws -> OrchestratorAPI.CreateAlgoResponse {
        let now = clock()
        let push = pushEnabled
        let problem = request.problem
        let (answer, version, chunks) = try await write { [self] conn in
            if try conn.queryOne(Queries.algoExists, request.uuid) != nil { throw Failure.alreadyExists }
            guard let info = try ProblemInfo.load(conn, problem) else { throw Failure.noRelatedProblem }
            try conn.run(Queries.insertAlgo, request.uuid, problem, request.name, now)
            var chunks: [Int64]
            if let hit = self.chunkCache.withLock({ $0[problem] }), hit.version == info.version {
                chunks = hit.chunks
                try self.budget.check(chunks.count, for: .algo)
            } else {
                var train: [String] = []
                try conn.forEach(Queries.trainDataOfProblem, parameters: [problem]) { train.append(try $0.get(0)) }
                try self.budget.check(LearnupletCutter.chunkCount(train.count, size: info.size), for: .algo)
                chunks = try LearnupletCutter.chunks(conn, train: train, size: info.size)
            }
            let made = try LearnupletCutter.cut(conn, problem: info, algo: request.uuid, chunks: chunks, rank: 0,
                                                startModel: request.uuid, now: now, push: push)
            let algo = OrchestratorAPI.Algo(uuid: request.uuid, problem: problem, name: request.name, timestampUpload: now)
            return (OrchestratorAPI.CreateAlgoResponse(newAlgo: algo, newLearnuplets: made), info.version, chunks)
        }
        chunkCache.withLock { $0[problem] = (version, chunks) }
        return answer
    }

    // MARK: - Data

    /// Stores data and continues every algo of each listed problem over the new train ids.
    ///
    /// The data, their chunks and one `PendingCut` per algo are stored in one transaction;
    /// the algos' chains then continue in transactions of about `LEARNUPLETS_PER_TRANSACTION`
    /// learnuplets (whole algos), so other writers get in between. The answer
    /// comes once every algo is continued; a crash in between is finished at start
    /// (`finishPendingCuts`).
    func createData(_ request: OrchestratorAPI.CreateDataRequest) async throws -> OrchestratorAPI.CreateDataResponse {
        let now = clock()
        let push = pushEnabled
        let uuids = request.uuid
        var seen = Set<String>()
        let problems = request.problems.filter { seen.insert($0).inserted }
        guard Set(uuids).count == uuids.count else { throw Failure.alreadyExists }
        let budget = self.budget
        let (documents, pending) = try await write { conn in
            var infos: [ProblemInfo] = []
            for problem in problems {
                guard let info = try ProblemInfo.load(conn, problem) else { throw Failure.noRelatedProblem }
                infos.append(info)
            }
            // Same upload time for all: ordered by uuid (bytewise, as SQLite orders text).
            let ordered = uuids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            // Per problem, its new train ids and its algos; counted against the budget
            // before anything is stored.
            var plans: [(info: ProblemInfo, train: [String], algos: [String])] = []
            var planned = 0
            for info in infos {
                let train = ordered.filter { !info.testData.contains($0) }
                if train.isEmpty { continue }
                var algos: [String] = []
                try conn.forEach(Queries.algosOfProblem, parameters: [info.uuid]) { algos.append(try $0.get(0)) }
                if algos.isEmpty { continue }
                plans.append((info, train, algos))
                planned += LearnupletCutter.chunkCount(train.count, size: info.size) * algos.count
            }
            try budget.check(planned, for: .data)
            let problemsJSON = ListColumnDecoder.encode(problems)
            for problem in problems { try conn.run(Queries.bumpTrainVersion, problem) }
            var documents: [OrchestratorAPI.Data] = []
            documents.reserveCapacity(uuids.count)
            for data in uuids {
                try conn.run(Queries.insertData, data, problemsJSON, now)
                for problem in problems { try conn.run(Queries.insertDataProblem, problem, now, data) }
                documents.append(OrchestratorAPI.Data(uuid: data, problems: problems, timestampUpload: now))
            }
            var pending: [PendingCut] = []
            for (info, train, algos) in plans {
                // Every algo of the problem is cut into the same chunks.
                let chunks = try LearnupletCutter.chunks(conn, train: train, size: info.size)
                let column = PendingCut.column(chunks)
                for algo in algos {
                    let id: Int64 = try conn.queryOne(Queries.insertPendingCut, info.uuid, algo, column, now)!.get(0)
                    pending.append(PendingCut(id: id, problem: info, algo: algo, chunks: chunks, createdAt: now))
                }
            }
            return (documents, pending)
        }
        var total = 0
        for batch in PendingCut.batches(pending, learnuplets: budget.perTransaction) {
            total += try await write { conn in try batch.reduce(0) { $0 + (try $1.apply(conn, push: push)) } }
        }
        return OrchestratorAPI.CreateDataResponse(newDatas: documents, newLearnuplets: total)
    }

    /// Continues the chains a crash left pending (each in its own transaction); returns how
    /// many learnuplets were made.
    public func finishPendingCuts() async throws -> Int {
        let push = pushEnabled
        let ids = try await read { conn in try conn.query(Queries.allPendingCuts).map { try $0.get(0, as: Int64.self) } }
        var total = 0
        for id in ids {
            total += try await write { conn in try PendingCut.load(conn, id: id)?.apply(conn, push: push) ?? 0 }
        }
        return total
    }

    // MARK: - Prediction

    /// Creates a todo preduplet with the problem's best model; returns its document.
    func requestPrediction(_ request: OrchestratorAPI.PredictionRequest) async throws -> OrchestratorAPI.Preduplet {
        let now = clock()
        let push = pushEnabled
        return try await write { conn in
            guard let problem = try conn.queryOne(Queries.problemWorkflow, request.problem),
                  let model: String = try conn.queryOne(Queries.bestModelOfProblem, request.problem)?.get(0)
            else { throw Failure.noModel }
            let uuid = Self.newUUID()
            let workflow: String = try problem.get(0)
            try conn.run(Queries.insertPreduplet, parameters: [uuid, request.data, request.problem, workflow, model, now])
            if push { try Self.enqueue(conn, path: "/pred", document: OrchestratorAPI.Preduplet.self, uuid: uuid) }
            return OrchestratorAPI.Preduplet(uuid: uuid, data: request.data, problem: request.problem, workflow: workflow,
                                             model: model, status: .todo, worker: nil, timestampRequest: now,
                                             timestampDone: nil, predictionStorageUUID: nil)
        }
    }
}
