import Contracts

/// orchestrator: a fleet of compute workers. Each lists the algo's `todo` learnuplets (a page
/// of 64), claims one at random (a lost claim, 400, is the fleet contending: expected),
/// reports a result for each claim it won (`learndone` with perf, train and test perfs),
/// and when nothing is left to do posts a batch of new data, which cuts new learnuplets.
public struct OrchestratorScenario: Scenario {
    public let name = "orchestrator"
    public let mix = "per cycle: list todo (page of 64), claim one (won 200 / lost 400), learndone when won; new data (200 ids) when none is todo"
    public let defaultConnections = 16
    /// Data ids per `POST /data` (one learnuplet each).
    static let batch = 200
    /// Batches posted before the run.
    static let initialBatches = 10

    /// A scenario.
    public init() {}

    public func prepare(_ setup: Worker, options: LoadOptions) async throws -> OrchestratorFixture {
        let fixture = OrchestratorFixture(problem: "lt-\(setup.runID)-problem", algo: "lt-\(setup.runID)-algo",
                                          testData: ["lt-\(setup.runID)-test-1", "lt-\(setup.runID)-test-2"])
        let problem = OrchestratorAPI.CreateProblemRequest(uuid: fixture.problem, workflow: "lt-workflow", testDataset: fixture.testData,
                                                           sizeTrainDataset: 1)
        try Self.check(await setup.send("problem", .POST, "/orchestrator/problem", json: problem, expect: [201]), "POST /orchestrator/problem")
        let algo = OrchestratorAPI.CreateAlgoRequest(uuid: fixture.algo, name: "load test algo", problem: fixture.problem)
        try Self.check(await setup.send("algo", .POST, "/orchestrator/algo", json: algo, expect: [201]), "POST /orchestrator/algo")
        for batch in 0..<Self.initialBatches {
            try Self.check(await postData(setup, fixture, batch: "setup-\(batch)"), "POST /orchestrator/data")
        }
        return fixture
    }

    public func run(_ worker: Worker, _ fixture: OrchestratorFixture) async {
        let workerName = "lt-worker-\(worker.index)"
        let listPath = "/orchestrator/learnuplet?status=todo&algo=\(QueryText.encode(fixture.algo))&limit=64"
        var refills = 0
        while worker.isRunning {
            guard let page = await worker.send("list todo", .GET, listPath)?.decoded(OrchestratorAPI.LearnupletList.self) else { continue }
            guard let uplet = page.learnuplets.randomElement() else {
                refills += 1
                await postData(worker, fixture, batch: "w\(worker.index)-\(refills)")
                continue
            }
            let claim = await worker.send("claim", .POST, "/orchestrator/worker/learnuplet/\(uplet.uuid)",
                                          json: OrchestratorAPI.SetWorkerRequest(worker: workerName), expect: [200, 400])
            guard claim?.status == 200 else { continue }
            let perf = Double.random(in: 0.5...0.99)
            var train: [String: Double] = [:]
            for id in uplet.trainData { train[id] = perf }
            var test: [String: Double] = [:]
            for id in uplet.testData { test[id] = perf - 0.01 }
            let done = OrchestratorAPI.LearnDoneRequest(status: .done, perf: perf, trainPerf: OrchestratorAPI.Performances(train),
                                                        testPerf: OrchestratorAPI.Performances(test))
            await worker.send("learndone", .POST, "/orchestrator/learndone/\(uplet.uuid)", json: done)
        }
    }

    /// Posts `batch` new data ids for the problem (each becomes a learnuplet of the algo).
    @discardableResult
    func postData(_ worker: Worker, _ fixture: OrchestratorFixture, batch: String) async -> Reply? {
        let ids = (0..<Self.batch).map { "lt-\(worker.runID)-data-\(batch)-\($0)" }
        return await worker.send("post data", .POST, "/orchestrator/data",
                                 json: OrchestratorAPI.CreateDataRequest(uuid: ids, problems: [fixture.problem]), expect: [201])
    }

    static func check(_ reply: Reply?, _ what: String) throws {
        guard let reply else { throw LoadTestError.setup("\(what): no answer") }
        guard reply.status == 201 else { throw LoadTestError.setup("\(what): \(reply.status) \(reply.text)") }
    }
}
