import Contracts
import Foundation
import JSON
@testable import Orchestrator
import Testing
import TestSupport

/// Every answer of every route decodes into its `OrchestratorAPI` type (strictly: missing
/// keys and wrong types fail) and encodes back through `JSONWriter` to the same bytes, so
/// the contracts hold every key, in the order the service writes them.
@Suite struct ContractTests {
    /// Decodes `response` as `T` and checks it writes back byte for byte.
    @discardableResult
    func decode<T: Codable>(_ type: T.Type, _ response: TestResponse, status: Int = 200,
                            sourceLocation: SourceLocation = #_sourceLocation) throws -> T {
        #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
        let value = try StrictJSONDecoder().decode(type, from: response.body)
        #expect(String(decoding: try JSONWriter.encode(value), as: UTF8.self) == response.text, sourceLocation: sourceLocation)
        return value
    }

    @Test(arguments: Transport.allCases, TestBackend.allCases) func everyAnswerDecodesIntoItsContract(_ transport: Transport, _ backend: TestBackend) async throws {
        let h = try await Harness.make(transport: transport, backend: backend)
        defer { Task { await h.shutdown() } }

        let problem = try decode(OrchestratorAPI.CreateProblemResponse.self, await h.problem("P1", test: ["t1"], size: 2), status: 201)
        #expect(problem.newProblem.testDataset == ["t1"])
        #expect(problem.newProblem.sizeTrainDataset == 2)
        let data = try decode(OrchestratorAPI.CreateDataResponse.self, await h.data(["d1", "d2", "d3", "t1"], problems: ["P1"]), status: 201)
        #expect(data.newDatas.map(\.uuid) == ["d1", "d2", "d3", "t1"])
        #expect(data.newLearnuplets == 0)
        let algo = try decode(OrchestratorAPI.CreateAlgoResponse.self, await h.algo("A1", problem: "P1"), status: 201)
        #expect(algo.newAlgo == OrchestratorAPI.Algo(uuid: "A1", problem: "P1", name: "algo", timestampUpload: algo.newAlgo.timestampUpload))
        #expect(algo.newLearnuplets == 2)

        let learnuplets = try decode(OrchestratorAPI.LearnupletList.self, await h.get("/learnuplet")).learnuplets
        #expect(learnuplets.map(\.trainData) == [["d1", "d2"], ["d3"]])
        #expect(learnuplets.map(\.status) == [.todo, .todo])
        #expect(learnuplets.map(\.modelStart) == ["A1", nil])
        let id = learnuplets[0].uuid
        let claimed = try decode(OrchestratorAPI.SetWorkerResponse.self, await h.post("/worker/learnuplet/\(id)", #"{"worker":"w1"}"#, as: compute))
        #expect(claimed == OrchestratorAPI.SetWorkerResponse(learnupletWorkerSet: id))
        let lost = try decode(MorpheoError.self, await h.post("/worker/learnuplet/\(id)", #"{"worker":"w2"}"#, as: compute), status: 400)
        #expect(lost.error == "worker not set for learnuplet \(id). Might be already pending")
        let result = OrchestratorAPI.LearnDoneRequest(status: .done, perf: 0.75, trainPerf: ["d2": 0.5, "d1": 0.25], testPerf: ["t1": 0.75])
        let body = String(decoding: try JSONWriter.encode(result), as: UTF8.self)
        let done = try decode(OrchestratorAPI.LearnDoneResponse.self, await h.post("/learndone/\(id)", body, as: compute))
        #expect(done.updatedLearnuplet == id)
        let trained = try decode(OrchestratorAPI.Learnuplet.self, await h.get("/learnuplet/\(id)"))
        #expect(trained.status == .done)
        #expect(trained.worker == "w1")
        #expect(trained.perf == 0.75)
        #expect(trained.trainPerf == ["d1": 0.25, "d2": 0.5])
        #expect(trained.testPerf == ["t1": 0.75])
        #expect(trained.timestampDone != nil)

        let prediction = try decode(OrchestratorAPI.Preduplet.self, await h.post("/prediction", #"{"data":"x1","problem":"P1"}"#), status: 201)
        #expect(prediction.model == trained.modelEnd)
        #expect(prediction.status == .todo)
        let predClaim = try decode(OrchestratorAPI.SetWorkerResponse.self,
                                   await h.post("/worker/preduplet/\(prediction.uuid)", #"{"worker":"w3"}"#, as: compute))
        #expect(predClaim == OrchestratorAPI.SetWorkerResponse(predupletWorkerSet: prediction.uuid))
        let predBody = String(decoding: try JSONWriter.encode(OrchestratorAPI.PredDoneRequest(status: .done, predictionStorageUUID: "S1")), as: UTF8.self)
        let predDone = try decode(OrchestratorAPI.PredDoneResponse.self, await h.post("/preddone/\(prediction.uuid)", predBody, as: compute))
        #expect(predDone.updatedPreduplet == prediction.uuid)

        let preduplets = try decode(OrchestratorAPI.PredupletList.self, await h.get("/preduplet")).preduplets
        #expect(preduplets.map(\.predictionStorageUUID) == ["S1"])
        #expect(try decode(OrchestratorAPI.Preduplet.self, await h.get("/preduplet/\(prediction.uuid)")) == preduplets[0])
        #expect(try decode(OrchestratorAPI.ProblemList.self, await h.get("/problem")).problems == [problem.newProblem])
        #expect(try decode(OrchestratorAPI.Problem.self, await h.get("/problem/P1")) == problem.newProblem)
        #expect(try decode(OrchestratorAPI.AlgoList.self, await h.get("/algo")).algos == [algo.newAlgo])
        #expect(try decode(OrchestratorAPI.Algo.self, await h.get("/algo/A1")) == algo.newAlgo)
        #expect(try decode(OrchestratorAPI.DataList.self, await h.get("/data")).datas == data.newDatas)
        #expect(try decode(OrchestratorAPI.Data.self, await h.get("/data/d2")) == data.newDatas[1])
        #expect(try decode(OrchestratorAPI.LearnupletList.self, await h.get("/learnuplet?status=done")).learnuplets == [trained])
        #expect(try decode(MorpheoError.self, await h.get("/learnuplet/nope"), status: 404).error == "Page does not exist")
    }

    /// Each request body type: a missing key and an ill-typed one are 400 with Morpheo's
    /// envelope and the original's message; nothing is stored.
    @Test(arguments: [
        ("/problem", #"{"uuid":"P9","test_dataset":[],"size_train_dataset":1}"#, "wrong key in posted data"),
        ("/problem", #"{"uuid":"P9","workflow":"W","test_dataset":[1],"size_train_dataset":1}"#, "wrong key in posted data"),
        ("/problem", #"{"uuid":"P9","workflow":"W","test_dataset":[],"size_train_dataset":1.5}"#, "wrong key in posted data"),
        ("/algo", #"{"uuid":"A9","name":"a"}"#, "wrong key in posted data"),
        ("/algo", #"{"uuid":"A9","name":7,"problem":"P1"}"#, "wrong key in posted data"),
        ("/data", #"{"uuid":"d9"}"#, "wrong key in posted data"),
        ("/data", #"{"uuid":{"d":9},"problems":"P1"}"#, "wrong key in posted data"),
        ("/prediction", #"{"data":"x"}"#, "wrong key in posted data"),
        ("/prediction", #"{"data":["x"]}"#, "wrong key in posted data"),
        ("/prediction", #"{"data":7,"problem":"P1"}"#, "data field should be an UUID"),
        ("/prediction", #"{"data":"x","problem":["P1"]}"#, "wrong key in posted data"),
        ("/worker/learnuplet/L1", #"{}"#, "wrong key in posted data"),
        ("/worker/learnuplet/L1", #"{"worker":["w"]}"#, "wrong key in posted data"),
        ("/learndone/L1", #"{"perf":0.5}"#, "wrong key in posted data"),
        ("/learndone/L1", #"{"status":"done","perf":0.5,"train_perf":{"d1":0.5},"test_perf":[0.5]}"#, "wrong key in posted data"),
        ("/learndone/L1", #"{"status":"pending"}"#, "wrong key in posted data"),
        ("/preddone/R1", #"{"prediction_storage_uuid":"S1"}"#, "wrong key in posted data"),
        ("/preddone/R1", #"{"status":"done","prediction_storage_uuid":5}"#, "wrong key in posted data"),
    ])
    func badBodiesAre400WithTheEnvelope(_ path: String, _ body: String, _ message: String) async throws {
        let h = try await Harness.make()
        defer { Task { await h.shutdown() } }
        await h.problem("P1")
        let forCompute = path.hasPrefix("/worker") || path.hasPrefix("/learndone") || path.hasPrefix("/preddone")
        let r = await h.post(path, body, as: forCompute ? compute : user)
        #expect(r.status == 400)
        #expect(r.headers["Content-Type"] == "application/json")
        #expect(r.text == String(decoding: try JSONWriter.encode(MorpheoError(error: message)), as: UTF8.self))
        #expect(try decode(OrchestratorAPI.ProblemList.self, await h.get("/problem")).problems.map(\.uuid) == ["P1"])
        #expect(try decode(OrchestratorAPI.DataList.self, await h.get("/data")).datas.isEmpty)
        #expect(try decode(OrchestratorAPI.AlgoList.self, await h.get("/algo")).algos.isEmpty)
    }

    /// A whole-number performance is written as JSONWriter writes every `Double`, without
    /// a fraction (`1`, where the hand writer wrote `1.0`); same number to every reader.
    @Test(arguments: TestBackend.allCases) func wholeNumberPerformancesHaveNoFraction(_ backend: TestBackend) async throws {
        let h = try await Harness.make(backend: backend)
        defer { Task { await h.shutdown() } }
        await h.problem("P1", size: 1)
        await h.data(["d1"], problems: ["P1"])
        await h.algo("A1", problem: "P1")
        let id = await h.learnuplets()[0]["uuid"] as! String
        _ = await h.post("/worker/learnuplet/\(id)", #"{"worker":"w"}"#, as: compute)
        #expect(await h.post("/learndone/\(id)", #"{"status":"done","perf":1.0,"train_perf":{"d1":1.0},"test_perf":{"t":2}}"#, as: compute).status == 200)
        let text = await h.get("/learnuplet/\(id)").text
        #expect(text.contains(#""perf":1,"train_perf":{"d1":1},"test_perf":{"t":2},"#))
    }

    /// A `failed` report keeps only what is valid of the rest (as the original did).
    @Test(arguments: TestBackend.allCases) func failedReportsIgnoreIllTypedOptionalKeys(_ backend: TestBackend) async throws {
        let h = try await Harness.make(backend: backend)
        defer { Task { await h.shutdown() } }
        await h.problem("P1", size: 1)
        await h.data(["d1"], problems: ["P1"])
        await h.algo("A1", problem: "P1")
        let id = await h.learnuplets()[0]["uuid"] as! String
        _ = await h.post("/worker/learnuplet/\(id)", #"{"worker":"w"}"#, as: compute)
        let r = await h.post("/learndone/\(id)", #"{"status":"failed","perf":"high","train_perf":{"d1":0.5},"test_perf":7}"#, as: compute)
        #expect(r.status == 200)
        let doc = try decode(OrchestratorAPI.Learnuplet.self, await h.get("/learnuplet/\(id)"))
        #expect(doc.status == .failed)
        #expect(doc.perf == nil)
        #expect(doc.trainPerf == ["d1": 0.5])
        #expect(doc.testPerf == nil)
    }
}
