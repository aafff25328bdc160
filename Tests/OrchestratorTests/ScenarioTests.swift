import Foundation
@testable import Orchestrator
import Testing
import TestSupport

/// The ten scenarios of the original orchestrator's test file, over HTTP: in-process, and
/// through the real gateway and orchestrator binaries with HTTP Basic.
@Suite struct ScenarioTests {
    @Test(arguments: Transport.allCases, TestBackend.allCases) func allCollectionsListableAndUnknownCollectionIs404(_ transport: Transport, _ backend: TestBackend) async throws {
        let h = try await Harness.make(transport: transport, backend: backend)
        defer { h.live?.terminate(); Task { await h.shutdown() } }
        for (c, key) in [("problem", "problems"), ("algo", "algos"), ("data", "datas"), ("learnuplet", "learnuplets"), ("preduplet", "preduplets")] {
            let r = await h.get("/\(c)")
            #expect(r.status == 200)
            #expect((object(r)[key] as? [Any])?.isEmpty == true, "\(c): \(r.text)")
        }
        let r = await h.get("/nothing")
        #expect(r.status == 404)
        #expect(errorMessage(r) == "Page does not exist")
        #expect(errorMessage(await h.get("/nothing/x")) == "Page does not exist")
    }

    @Test(arguments: Transport.allCases, TestBackend.allCases) func createProblem(_ transport: Transport, _ backend: TestBackend) async throws {
        let h = try await Harness.make(transport: transport, backend: backend)
        defer { h.live?.terminate(); Task { await h.shutdown() } }
        let r = await h.problem("P1", test: ["t1", "t2"], size: 3)
        #expect(r.status == 201)
        let doc = try #require(object(r)["new_problem"] as? [String: Any])
        #expect(doc["uuid"] as? String == "P1")
        #expect(doc["workflow"] as? String == "W1")
        #expect(doc["test_dataset"] as? [String] == ["t1", "t2"])
        #expect(doc["size_train_dataset"] as? Int == 3)
        #expect((doc["timestamp_upload"] as? Int ?? 0) > 1_500_000_000)
        let got = await h.get("/problem/P1")
        #expect(got.status == 200)
        #expect(object(got)["uuid"] as? String == "P1")
        #expect(list(await h.get("/problem"), "problems").count == 1)
    }

    @Test(arguments: Transport.allCases, TestBackend.allCases) func createAlgoCutsLearnupletsBySizeFromTheAlgo(_ transport: Transport, _ backend: TestBackend) async throws {
        let h = try await Harness.make(transport: transport, backend: backend)
        defer { h.live?.terminate(); Task { await h.shutdown() } }
        await h.problem("P1", test: ["d5"], size: 2)
        #expect(await h.data(["d1", "d2", "d3", "d4", "d5"], problems: ["P1"]).status == 201)
        let r = await h.algo("A1", problem: "P1")
        #expect(r.status == 201)
        #expect(object(r)["new_learnuplets"] as? Int == 2)
        #expect((object(r)["new_algo"] as? [String: Any])?["uuid"] as? String == "A1")
        let uplets = await h.learnuplets()
        #expect(uplets.count == 2)
        #expect(uplets[0]["rank"] as? Int == 0)
        #expect(uplets[0]["model_start"] as? String == "A1")
        #expect(uplets[0]["train_data"] as? [String] == ["d1", "d2"])
        #expect(uplets[0]["test_data"] as? [String] == ["d5"])
        #expect(uplets[0]["status"] as? String == "todo")
        #expect(uplets[0]["workflow"] as? String == "W1")
        #expect(uplets[0]["worker"] is NSNull)
        #expect(uplets[0]["perf"] is NSNull)
        #expect(uplets[1]["rank"] as? Int == 1)
        #expect(uplets[1]["model_start"] is NSNull)
        #expect(uplets[1]["train_data"] as? [String] == ["d3", "d4"])
        #expect(uplets[0]["model_end"] as? String != uplets[1]["model_end"] as? String)
    }

    @Test(arguments: Transport.allCases, TestBackend.allCases) func createDataContinuesLearnuplets(_ transport: Transport, _ backend: TestBackend) async throws {
        let h = try await Harness.make(transport: transport, backend: backend)
        defer { h.live?.terminate(); Task { await h.shutdown() } }
        await h.problem("P1", test: ["t1"], size: 2)
        await h.data(["d1", "d2", "d3"], problems: ["P1"])
        await h.algo("A1", problem: "P1")
        let before = await h.learnuplets()
        #expect(before.count == 2)
        // A2 is posted before there is data for it: it starts at rank 0 from itself.
        await h.problem("P2", size: 5)
        await h.algo("A2", problem: "P2")
        let r = await h.data(["d4", "d5", "t1"], problems: ["P1", "P2"])
        #expect(r.status == 201)
        #expect(object(r)["new_learnuplets"] as? Int == 2)
        #expect(list(r, "new_datas").map { $0["uuid"] as? String } == ["d4", "d5", "t1"])
        let a1 = await h.learnuplets("algo=A1")
        #expect(a1.count == 3)
        #expect(a1[2]["rank"] as? Int == 2)
        // No done learnuplet yet: continues from the model_end of the highest rank.
        #expect(a1[2]["model_start"] as? String == a1[1]["model_end"] as? String)
        #expect(a1[2]["train_data"] as? [String] == ["d4", "d5"])
        let a2 = await h.learnuplets("algo=A2")
        #expect(a2.count == 1)
        #expect(a2[0]["rank"] as? Int == 0)
        #expect(a2[0]["model_start"] as? String == "A2")
        #expect(a2[0]["train_data"] as? [String] == ["d4", "d5", "t1"])
    }

    @Test(arguments: Transport.allCases, TestBackend.allCases) func predictionPicksTheBestModel(_ transport: Transport, _ backend: TestBackend) async throws {
        let h = try await Harness.make(transport: transport, backend: backend)
        defer { h.live?.terminate(); Task { await h.shutdown() } }
        await h.problem("P1", size: 1)
        await h.data(["d1"], problems: ["P1"])
        await h.algo("A1", problem: "P1")
        await h.algo("A2", problem: "P1")
        // Nothing trained yet.
        let none = await h.post("/prediction", #"{"data":"x1","problem":"P1"}"#)
        #expect(none.status == 400)
        #expect(errorMessage(none) == "no problem or trained model")
        let u1 = await h.learnuplets("algo=A1")[0], u2 = await h.learnuplets("algo=A2")[0]
        await h.train(u1["uuid"] as! String, perf: 0.5)
        await h.train(u2["uuid"] as! String, perf: 0.9)
        let r = await h.post("/prediction", #"{"data":"x1","problem":"P1"}"#)
        #expect(r.status == 201)
        let doc = object(r)
        #expect(doc["model"] as? String == u2["model_end"] as? String)
        #expect(doc["data"] as? String == "x1")
        #expect(doc["problem"] as? String == "P1")
        #expect(doc["workflow"] as? String == "W1")
        #expect(doc["status"] as? String == "todo")
        #expect(doc["worker"] is NSNull)
        #expect(doc["prediction_storage_uuid"] is NSNull)
        #expect(UUID(uuidString: doc["uuid"] as? String ?? "") != nil)
        #expect(list(await h.get("/preduplet"), "preduplets").count == 1)
        let unknown = await h.post("/prediction", #"{"data":"x1","problem":"nope"}"#)
        #expect(unknown.status == 400)
        #expect(errorMessage(unknown) == "no problem or trained model")
    }

    @Test(arguments: Transport.allCases, TestBackend.allCases) func setWorker(_ transport: Transport, _ backend: TestBackend) async throws {
        let h = try await Harness.make(transport: transport, backend: backend)
        defer { h.live?.terminate(); Task { await h.shutdown() } }
        await h.problem("P1", size: 1)
        await h.data(["d1"], problems: ["P1"])
        await h.algo("A1", problem: "P1")
        let id = await h.learnuplets()[0]["uuid"] as! String
        let r = await h.post("/worker/learnuplet/\(id)", #"{"worker":"W9"}"#, as: compute)
        #expect(r.status == 200)
        #expect(object(r)["learnuplet_worker_set"] as? String == id)
        let doc = object(await h.get("/learnuplet/\(id)"))
        #expect(doc["status"] as? String == "pending")
        #expect(doc["worker"] as? String == "W9")
        let again = await h.post("/worker/learnuplet/\(id)", #"{"worker":"W8"}"#, as: compute)
        #expect(again.status == 400)
        #expect(errorMessage(again) == "worker not set for learnuplet \(id). Might be already pending")
        #expect(object(await h.get("/learnuplet/\(id)"))["worker"] as? String == "W9")
        let unknown = await h.post("/worker/learnuplet/nope", #"{"worker":"W8"}"#, as: compute)
        #expect(unknown.status == 404)
        let badType = await h.post("/worker/thing/\(id)", #"{"worker":"W8"}"#, as: compute)
        #expect(badType.status == 404)
        #expect(errorMessage(badType) == "Page does not exist")
    }

    @Test(arguments: Transport.allCases, TestBackend.allCases) func learndoneStoresTheResult(_ transport: Transport, _ backend: TestBackend) async throws {
        let h = try await Harness.make(transport: transport, backend: backend)
        defer { h.live?.terminate(); Task { await h.shutdown() } }
        await h.problem("P1", size: 1)
        await h.data(["d1"], problems: ["P1"])
        await h.algo("A1", problem: "P1")
        let id = await h.learnuplets()[0]["uuid"] as! String
        // Not pending yet: refused, nothing changed.
        let early = await h.post("/learndone/\(id)", #"{"status":"done","perf":0.7,"train_perf":{"d1":0.7},"test_perf":{"t":0.6}}"#, as: compute)
        #expect(early.status == 400)
        #expect(errorMessage(early) == "no update of learnuplet \(id)")
        #expect(object(await h.get("/learnuplet/\(id)"))["status"] as? String == "todo")
        _ = await h.post("/worker/learnuplet/\(id)", #"{"worker":"w"}"#, as: compute)
        let r = await h.post("/learndone/\(id)", #"{"status":"done","perf":0.7,"train_perf":{"d1":0.7},"test_perf":{"t":0.6}}"#, as: compute)
        #expect(r.status == 200)
        #expect(object(r)["updated_learnuplet"] as? String == id)
        let doc = object(await h.get("/learnuplet/\(id)"))
        #expect(doc["status"] as? String == "done")
        #expect(doc["perf"] as? Double == 0.7)
        #expect((doc["train_perf"] as? [String: Double]) == ["d1": 0.7])
        #expect((doc["test_perf"] as? [String: Double]) == ["t": 0.6])
        #expect((doc["timestamp_done"] as? Int ?? 0) >= (doc["timestamp_creation"] as? Int ?? .max))
        // Done twice is refused.
        let twice = await h.post("/learndone/\(id)", #"{"status":"failed"}"#, as: compute)
        #expect(twice.status == 400)
        #expect(object(await h.get("/learnuplet/\(id)"))["status"] as? String == "done")
        #expect(await h.post("/learndone/nope", #"{"status":"failed"}"#, as: compute).status == 404)
    }

    @Test(arguments: Transport.allCases, TestBackend.allCases) func nextRankContinuesFromTheBestModel(_ transport: Transport, _ backend: TestBackend) async throws {
        let h = try await Harness.make(transport: transport, backend: backend)
        defer { h.live?.terminate(); Task { await h.shutdown() } }
        await h.problem("P1", size: 1)
        await h.data(["d1", "d2", "d3"], problems: ["P1"])
        await h.algo("A1", problem: "P1")
        var u = await h.learnuplets("algo=A1")
        #expect(u.map { $0["rank"] as? Int } == [0, 1, 2])
        await h.train(u[0]["uuid"] as! String, perf: 0.8)
        u = await h.learnuplets("algo=A1")
        #expect(u[1]["model_start"] as? String == u[0]["model_end"] as? String)
        // A worse result keeps the earlier best model for the next rank.
        await h.train(u[1]["uuid"] as! String, perf: 0.5)
        u = await h.learnuplets("algo=A1")
        #expect(u[2]["model_start"] as? String == u[0]["model_end"] as? String)
        // New data continue from the best model too.
        await h.train(u[2]["uuid"] as! String, perf: 0.9)
        await h.data(["d4"], problems: ["P1"])
        u = await h.learnuplets("algo=A1")
        #expect(u.count == 4)
        #expect(u[3]["rank"] as? Int == 3)
        #expect(u[3]["model_start"] as? String == u[2]["model_end"] as? String)
    }

    @Test(arguments: Transport.allCases, TestBackend.allCases) func preddone(_ transport: Transport, _ backend: TestBackend) async throws {
        let h = try await Harness.make(transport: transport, backend: backend)
        defer { h.live?.terminate(); Task { await h.shutdown() } }
        await h.problem("P1", size: 1)
        await h.data(["d1"], problems: ["P1"])
        await h.algo("A1", problem: "P1")
        await h.train(await h.learnuplets()[0]["uuid"] as! String, perf: 0.5)
        let id = object(await h.post("/prediction", #"{"data":"x","problem":"P1"}"#))["uuid"] as! String
        let early = await h.post("/preddone/\(id)", #"{"status":"done","prediction_storage_uuid":"S1"}"#, as: compute)
        #expect(early.status == 400)
        #expect(errorMessage(early) == "no update of preduplet \(id)")
        let claim = await h.post("/worker/preduplet/\(id)", #"{"worker":"w"}"#, as: compute)
        #expect(claim.status == 200)
        #expect(object(claim)["preduplet_worker_set"] as? String == id)
        let missing = await h.post("/preddone/\(id)", #"{"status":"done"}"#, as: compute)
        #expect(missing.status == 400)
        #expect(errorMessage(missing) == "wrong key in posted data")
        let r = await h.post("/preddone/\(id)", #"{"status":"done","prediction_storage_uuid":"S1"}"#, as: compute)
        #expect(r.status == 200)
        #expect(object(r)["updated_preduplet"] as? String == id)
        let doc = object(await h.get("/preduplet/\(id)"))
        #expect(doc["status"] as? String == "done")
        #expect(doc["prediction_storage_uuid"] as? String == "S1")
        #expect(doc["timestamp_done"] is Int)
        #expect(await h.post("/preddone/\(id)", #"{"status":"failed"}"#, as: compute).status == 400)
        #expect(await h.post("/preddone/nope", #"{"status":"failed"}"#, as: compute).status == 404)
    }

    @Test(arguments: Transport.allCases, TestBackend.allCases) func filters(_ transport: Transport, _ backend: TestBackend) async throws {
        let h = try await Harness.make(transport: transport, backend: backend)
        defer { h.live?.terminate(); Task { await h.shutdown() } }
        await h.problem("P1", test: ["t1"], size: 1)
        await h.problem("P2", size: 2, workflow: "W2")
        await h.data(["d1", "d2"], problems: ["P1", "P2"])
        await h.data(["d3"], problems: ["P2"])
        await h.algo("A1", problem: "P1")
        await h.algo("A2", problem: "P2")
        // Exact match and AND.
        #expect(list(await h.get("/problem?uuid=P1"), "problems").count == 1)
        #expect(list(await h.get("/problem?workflow=W2&uuid=P1"), "problems").isEmpty)
        // List fields: contains.
        #expect(list(await h.get("/problem?test_dataset=t1"), "problems").map { $0["uuid"] as? String } == ["P1"])
        #expect(list(await h.get("/data?problems=P2"), "datas").map { $0["uuid"] as? String } == ["d1", "d2", "d3"])
        #expect(list(await h.get("/data?problems=P1"), "datas").count == 2)
        #expect(await h.learnuplets("train_data=d2").map { $0["algo"] as? String } == ["A1", "A2"])
        #expect(await h.learnuplets("test_data=t1").count == 2)
        #expect(await h.learnuplets("train_data=d2&algo=A2").count == 1)
        // Numbers by value, null by value.
        #expect(list(await h.get("/problem?size_train_dataset=2"), "problems").map { $0["uuid"] as? String } == ["P2"])
        #expect(await h.learnuplets("rank=1").count == 2)
        #expect(await h.learnuplets("rank=1.0").count == 2)
        #expect(await h.learnuplets("rank=one").isEmpty)
        #expect(await h.learnuplets("model_start=null").count == 2)
        #expect(await h.learnuplets("model_start=A1").count == 1)
        #expect(await h.learnuplets("worker=null").count == 4)
        #expect(await h.learnuplets("perf=null&status=todo").count == 4)
        let id = await h.learnuplets("algo=A1&rank=0")[0]["uuid"] as! String
        await h.train(id, perf: 0.25)
        #expect(await h.learnuplets("perf=0.25").map { $0["uuid"] as? String } == [id])
        #expect(await h.learnuplets("status=done").count == 1)
        #expect(await h.learnuplets("worker=w").count == 1)
        // Unknown key: empty list.
        let unknown = await h.get("/learnuplet?colour=blue")
        #expect(unknown.status == 200)
        #expect(list(unknown, "learnuplets").isEmpty)
        #expect(object(unknown)["learnuplets"] != nil)
        #expect(list(await h.get("/algo?problem=P1"), "algos").map { $0["uuid"] as? String } == ["A1"])
    }
}
