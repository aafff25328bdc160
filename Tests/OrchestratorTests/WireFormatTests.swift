import Foundation
@testable import Orchestrator
import Testing
import TestSupport

/// The exact bytes of every answer (key order, `null`s, number forms, escapes), pinned
/// against the output of the hand-written writer this service had before its contracts:
/// server-made values (uuids, timestamps) are read from the answer, everything else is
/// literal.
@Suite struct WireFormatTests {
    @Test(arguments: Transport.allCases, TestBackend.allCases) func everyAnswerKeepsItsBytes(_ transport: Transport, _ backend: TestBackend) async throws {
        let h = try await Harness.make(transport: transport, backend: backend)
        defer { Task { await h.shutdown() } }

        let p = await h.problem("P1", test: ["t1"], size: 2)
        let pt = try timestamp(object(p)["new_problem"], "timestamp_upload")
        let problemDoc = #"{"uuid":"P1","workflow":"W1","test_dataset":["t1"],"size_train_dataset":2,"timestamp_upload":\#(pt)}"#
        #expect(p.status == 201)
        #expect(p.text == #"{"new_problem":\#(problemDoc)}"#)

        let d = await h.data(["d1", "d2", "d3"], problems: ["P1"])
        let dt = try timestamp(list(d, "new_datas").first, "timestamp_upload")
        let dataDocs = ["d1", "d2", "d3"].map { #"{"uuid":"\#($0)","problems":["P1"],"timestamp_upload":\#(dt)}"# }
        #expect(d.status == 201)
        #expect(d.text == #"{"new_datas":[\#(dataDocs.joined(separator: ","))],"new_learnuplets":0}"#)

        let a = await h.algo("A1", problem: "P1", name: "al\\\"go/é\\u0001")
        let at = try timestamp(object(a)["new_algo"], "timestamp_upload")
        let algoDoc = #"{"uuid":"A1","problem":"P1","name":"al\"go/é\u0001","timestamp_upload":\#(at)}"#
        #expect(a.status == 201)
        #expect(a.text == #"{"new_algo":\#(algoDoc),"new_learnuplets":2}"#)

        let uplets = await h.learnuplets()
        #expect(uplets.count == 2)
        func upletDoc(_ u: [String: Any], modelStart: String, train: String, worker: String = "null", perf: String = "null",
                      trainPerf: String = "null", testPerf: String = "null", status: String = "todo", done: String = "null") throws -> String {
            #"{"uuid":"\#(u["uuid"] as! String)","problem":"P1","workflow":"W1","algo":"A1","model_start":\#(modelStart),"# +
                #""model_end":"\#(u["model_end"] as! String)","train_data":\#(train),"test_data":["t1"],"worker":\#(worker),"# +
                #""perf":\#(perf),"train_perf":\#(trainPerf),"test_perf":\#(testPerf),"status":"\#(status)","rank":\#(u["rank"] as! Int),"# +
                #""timestamp_creation":\#(try timestamp(u, "timestamp_creation")),"timestamp_done":\#(done)}"#
        }
        let first = try upletDoc(uplets[0], modelStart: #""A1""#, train: #"["d1","d2"]"#)
        let second = try upletDoc(uplets[1], modelStart: "null", train: #"["d3"]"#)
        #expect(await h.get("/learnuplet").text == #"{"learnuplets":[\#(first),\#(second)]}"#)
        #expect(await h.get("/learnuplet?rank=1").text == #"{"learnuplets":[\#(second)]}"#)

        let id = uplets[0]["uuid"] as! String
        let claim = await h.post("/worker/learnuplet/\(id)", #"{"worker":"w1"}"#, as: compute)
        #expect(claim.status == 200)
        #expect(claim.text == #"{"learnuplet_worker_set":"\#(id)"}"#)
        let lost = await h.post("/worker/learnuplet/\(id)", #"{"worker":"w2"}"#, as: compute)
        #expect(lost.status == 400)
        #expect(lost.text == #"{"Error":"worker not set for learnuplet \#(id). Might be already pending"}"#)
        let done = await h.post("/learndone/\(id)", #"{"status":"done","perf":0.5,"train_perf":{"d2":0.25,"d1":3},"test_perf":{"t1":1e-7}}"#, as: compute)
        #expect(done.status == 200)
        #expect(done.text == #"{"updated_learnuplet":"\#(id)"}"#)
        let trained = object(await h.get("/learnuplet/\(id)"))
        let trainedDoc = try upletDoc(uplets[0], modelStart: #""A1""#, train: #"["d1","d2"]"#, worker: #""w1""#, perf: "0.5",
                                      trainPerf: #"{"d1":3,"d2":0.25}"#, testPerf: #"{"t1":1e-07}"#, status: "done",
                                      done: String(try timestamp(trained, "timestamp_done")))
        #expect(await h.get("/learnuplet/\(id)").text == trainedDoc)

        let pred = await h.post("/prediction", #"{"data":"x1","problem":"P1"}"#)
        #expect(pred.status == 201)
        let predObject = object(pred)
        let predID = predObject["uuid"] as! String
        func predDoc(status: String, worker: String = "null", done: String = "null", storage: String = "null") throws -> String {
            #"{"uuid":"\#(predID)","data":"x1","problem":"P1","workflow":"W1","model":"\#(uplets[0]["model_end"] as! String)","# +
                #""status":"\#(status)","worker":\#(worker),"timestamp_request":\#(try timestamp(predObject, "timestamp_request")),"# +
                #""timestamp_done":\#(done),"prediction_storage_uuid":\#(storage)}"#
        }
        #expect(pred.text == (try predDoc(status: "todo")))
        let predClaim = await h.post("/worker/preduplet/\(predID)", #"{"worker":"w3"}"#, as: compute)
        #expect(predClaim.text == #"{"preduplet_worker_set":"\#(predID)"}"#)
        let predDone = await h.post("/preddone/\(predID)", #"{"status":"done","prediction_storage_uuid":"S1"}"#, as: compute)
        #expect(predDone.status == 200)
        #expect(predDone.text == #"{"updated_preduplet":"\#(predID)"}"#)
        let storedPred = object(await h.get("/preduplet/\(predID)"))
        let predFinal = try predDoc(status: "done", worker: #""w3""#, done: String(try timestamp(storedPred, "timestamp_done")), storage: #""S1""#)
        #expect(await h.get("/preduplet").text == #"{"preduplets":[\#(predFinal)]}"#)

        #expect(await h.get("/problem").text == #"{"problems":[\#(problemDoc)]}"#)
        #expect(await h.get("/problem/P1").text == problemDoc)
        #expect(await h.get("/algo").text == #"{"algos":[\#(algoDoc)]}"#)
        #expect(await h.get("/data?problems=P1").text == #"{"datas":[\#(dataDocs.joined(separator: ","))]}"#)
        #expect(await h.get("/data/d2").text == dataDocs[1])
        #expect(await h.get("/data?colour=blue").text == #"{"datas":[]}"#)

        let single = await h.post("/data", #"{"uuid":"d9","problems":"P1"}"#)
        let st = try timestamp(list(single, "new_datas").first, "timestamp_upload")
        #expect(single.text == #"{"new_datas":[{"uuid":"d9","problems":["P1"],"timestamp_upload":\#(st)}],"new_learnuplets":1}"#)

        let wrong = await h.post("/algo", #"{"uuid":"A2","problem":"P1"}"#)
        #expect(wrong.status == 400)
        #expect(wrong.text == #"{"Error":"wrong key in posted data"}"#)
        #expect(await h.get("/algo/nope").text == #"{"Error":"Page does not exist"}"#)
    }

    /// An integer member of a decoded object.
    func timestamp(_ document: Any?, _ key: String) throws -> Int {
        try #require((document as? [String: Any])?[key] as? Int)
    }
}
