import Foundation
@testable import Orchestrator
import Testing
import TestSupport

/// The rules beyond the original's tests: duplicates, failed writes store nothing,
/// test data never trained on, bad bodies, 404s and roles.
@Suite struct RuleTests {
    @Test(arguments: TestBackend.allCases) func duplicatesAre409AndStoredOnce(_ backend: TestBackend) async throws {
        let h = try await Harness.make(backend: backend)
        defer { Task { await h.shutdown() } }
        #expect(await h.problem("P1").status == 201)
        let p = await h.problem("P1")
        #expect(p.status == 409)
        #expect(errorMessage(p) == "already exists")
        #expect(list(await h.get("/problem"), "problems").count == 1)
        #expect(await h.algo("A1", problem: "P1").status == 201)
        #expect(await h.algo("A1", problem: "P1").status == 409)
        #expect(list(await h.get("/algo"), "algos").count == 1)
        #expect(await h.data(["d1"], problems: ["P1"]).status == 201)
        // One duplicate in a list: nothing of the list is stored.
        let d = await h.data(["d2", "d1"], problems: ["P1"])
        #expect(d.status == 409)
        #expect(errorMessage(d) == "already exists")
        #expect(await h.data(["d3", "d3"], problems: ["P1"]).status == 409)
        #expect(list(await h.get("/data"), "datas").map { $0["uuid"] as? String } == ["d1"])
        #expect(await h.learnuplets().count == 1)
    }

    @Test(arguments: TestBackend.allCases) func nonExistingRelatedProblemStoresNothing(_ backend: TestBackend) async throws {
        let h = try await Harness.make(backend: backend)
        defer { Task { await h.shutdown() } }
        await h.problem("P1")
        let a = await h.algo("A1", problem: "nope")
        #expect(a.status == 400)
        #expect(errorMessage(a) == "non-existing related problem")
        #expect(list(await h.get("/algo"), "algos").isEmpty)
        let d = await h.data(["d1", "d2"], problems: ["P1", "nope"])
        #expect(d.status == 400)
        #expect(errorMessage(d) == "non-existing related problem")
        #expect(list(await h.get("/data"), "datas").isEmpty)
        #expect(list(await h.get("/data?problems=P1"), "datas").isEmpty)
    }

    @Test(arguments: TestBackend.allCases) func testDataIsNeverTrainedOn(_ backend: TestBackend) async throws {
        let h = try await Harness.make(backend: backend)
        defer { Task { await h.shutdown() } }
        await h.problem("P1", test: ["t1", "t2", "t3"], size: 10)
        await h.data(["t1", "d1"], problems: ["P1"])
        await h.algo("A1", problem: "P1")
        #expect(await h.learnuplets().map { $0["train_data"] as? [String] } == [["d1"]])
        let r = await h.data(["d2", "t2"], problems: ["P1"])
        #expect(object(r)["new_learnuplets"] as? Int == 1)
        #expect(await h.learnuplets().map { $0["train_data"] as? [String] } == [["d1"], ["d2"]])
        // Only test data posted: no learnuplet.
        let none = await h.data(["t3"], problems: ["P1"])
        #expect(none.status == 201)
        #expect(object(none)["new_learnuplets"] as? Int == 0)
        #expect(await h.learnuplets("train_data=t1").isEmpty)
        #expect(await h.learnuplets("train_data=t2").isEmpty)
    }

    @Test(arguments: TestBackend.allCases) func dataAcceptsASingleUUIDAndOrdersTrainIDs(_ backend: TestBackend) async throws {
        let h = try await Harness.make(backend: backend)
        defer { Task { await h.shutdown() } }
        await h.problem("P1", size: 2)
        let single = await h.post("/data", #"{"uuid":"zz","problems":"P1"}"#)
        #expect(single.status == 201)
        #expect(list(single, "new_datas").first?["problems"] as? [String] == ["P1"])
        await h.data(["cc", "aa", "bb"], problems: ["P1"])
        await h.algo("A1", problem: "P1")
        // Ordered by (timestamp_upload, uuid): zz first when posted in an earlier second,
        // otherwise all by uuid. Either way a deterministic function of the stored data.
        let uplets = await h.learnuplets()
        let all = uplets.flatMap { $0["train_data"] as? [String] ?? [] }
        let datas = list(await h.get("/data"), "datas")
        let expected = datas.sorted {
            let (t0, t1) = ($0["timestamp_upload"] as! Int, $1["timestamp_upload"] as! Int)
            return t0 != t1 ? t0 < t1 : ($0["uuid"] as! String) < ($1["uuid"] as! String)
        }.map { $0["uuid"] as! String }
        #expect(all == expected)
        #expect(uplets.map { $0["rank"] as? Int } == [0, 1])
    }

    /// A replica's cached chunk plan of a problem is not used once another replica (another
    /// store on the same database) added data to it: the plan is keyed by the problem's
    /// `train_version`, read from the database.
    @Test(arguments: TestBackend.allCases) func algosOnOneReplicaSeeDataAddedThroughAnother(_ backend: TestBackend) async throws {
        let dir = temporaryDirectory()
        let first = try await Harness.make(dir: dir, backend: backend)
        defer { Task { await first.shutdown() } }
        let second = try await Harness.make(dir: dir, database: first.database)
        defer { Task { await second.stop() } }
        await first.problem("P1", size: 2)
        await first.data(["d1", "d2", "d3"], problems: ["P1"])
        await first.algo("A1", problem: "P1")
        await first.algo("A2", problem: "P1")  // from the first replica's cached plan
        await second.data(["d4"], problems: ["P1"])
        #expect(object(await first.algo("A3", problem: "P1"))["new_learnuplets"] as? Int == 2)
        let a3 = await second.learnuplets("algo=A3").compactMap { $0["train_data"] as? [String] }
        #expect(a3 == [["d1", "d2"], ["d3", "d4"]])
        // The data added through the second replica continued the first's algos too.
        #expect(await first.learnuplets("train_data=d4").map { $0["algo"] as? String } == ["A1", "A2", "A3"])
    }

    @Test(arguments: TestBackend.allCases) func laterAlgosSeeDataAddedInBetween(_ backend: TestBackend) async throws {
        let h = try await Harness.make(backend: backend)
        defer { Task { await h.shutdown() } }
        await h.problem("P1", test: ["t1"], size: 2)
        await h.data(["d1", "d2", "d3"], problems: ["P1"])
        await h.algo("A1", problem: "P1")
        await h.algo("A2", problem: "P1")
        #expect(await h.learnuplets("algo=A2").map { $0["train_data"] as? [String] } == [["d1", "d2"], ["d3"]])
        await h.data(["d4", "t1"], problems: ["P1"])
        let r = await h.algo("A3", problem: "P1")
        #expect(object(r)["new_learnuplets"] as? Int == 2)
        let a3 = await h.learnuplets("algo=A3").flatMap { $0["train_data"] as? [String] ?? [] }
        #expect(a3.sorted() == ["d1", "d2", "d3", "d4"])
        #expect(await h.learnuplets("train_data=d4").map { $0["algo"] as? String } == ["A1", "A2", "A3"])
    }

    @Test func badBodiesAre400() async throws {
        let h = try await Harness.make()
        defer { Task { await h.shutdown() } }
        for body in ["", "[1,2]", "\"P1\"", "42", "{not json", "null"] {
            let r = await h.post("/problem", body)
            #expect(r.status == 400, "body \(body)")
            #expect(errorMessage(r) != nil)
        }
        let wrong = [
            #"{"uuid":"P1","workflow":"W","test_dataset":[],"size_train_dataset":0}"#,
            #"{"uuid":"P1","workflow":"W","test_dataset":[],"size_train_dataset":"2"}"#,
            #"{"uuid":"P1","workflow":"W","test_dataset":"t1","size_train_dataset":2}"#,
            #"{"uuid":"P1","test_dataset":[],"size_train_dataset":2}"#,
            #"{"uuid":"","workflow":"W","test_dataset":[],"size_train_dataset":2}"#,
        ]
        for body in wrong {
            let r = await h.post("/problem", body)
            #expect(r.status == 400, "body \(body)")
            #expect(errorMessage(r) == "wrong key in posted data", "body \(body)")
        }
        #expect(list(await h.get("/problem"), "problems").isEmpty)
        await h.problem("P1")
        #expect(errorMessage(await h.post("/algo", #"{"uuid":"A1","problem":"P1"}"#)) == "wrong key in posted data")
        #expect(errorMessage(await h.post("/data", #"{"uuid":[],"problems":["P1"]}"#)) == "wrong key in posted data")
        #expect(errorMessage(await h.post("/data", #"{"uuid":[1],"problems":["P1"]}"#)) == "wrong key in posted data")
        #expect(errorMessage(await h.post("/data", #"{"uuid":["d1"]}"#)) == "wrong key in posted data")
        let pred = await h.post("/prediction", #"{"data":["d1"],"problem":"P1"}"#)
        #expect(pred.status == 400)
        #expect(errorMessage(pred) == "data field should be an UUID")
        #expect(errorMessage(await h.post("/prediction", #"{"problem":"P1"}"#)) == "wrong key in posted data")
        #expect(errorMessage(await h.post("/worker/learnuplet/x", #"{"who":"w"}"#, as: compute)) == "wrong key in posted data")
        #expect(errorMessage(await h.post("/learndone/x", #"{"status":"done","perf":"high"}"#, as: compute)) == "wrong key in posted data")
        #expect(errorMessage(await h.post("/learndone/x", #"{"status":"done","perf":0.5,"train_perf":{"d":"a"},"test_perf":{}}"#, as: compute)) == "wrong key in posted data")
        #expect(errorMessage(await h.post("/learndone/x", #"{"status":"maybe"}"#, as: compute)) == "wrong key in posted data")
        #expect(await h.post("/learndone/x", "[]", as: compute).status == 400)
    }

    @Test(arguments: TestBackend.allCases) func unknownThingsAre404(_ backend: TestBackend) async throws {
        let h = try await Harness.make(backend: backend)
        defer { Task { await h.shutdown() } }
        for path in ["/problem/x", "/algo/x", "/data/x", "/learnuplet/x", "/preduplet/x", "/foo/x"] {
            let r = await h.get(path)
            #expect(r.status == 404, "\(path)")
            #expect(errorMessage(r) == "Page does not exist")
        }
        #expect(await h.post("/foo", "{}").status == 404)
        #expect(await h.post("/worker/foo/x", #"{"worker":"w"}"#, as: compute).status == 404)
        #expect(await h.post("/preddone/x", #"{"status":"failed"}"#, as: compute).status == 404)
    }

    @Test func rolesAreEnforced() async throws {
        let h = try await Harness.make()
        defer { Task { await h.shutdown() } }
        let anonymous = await h.get("/problem", as: nil)
        #expect(anonymous.status == 401)
        #expect(anonymous.headers["WWW-Authenticate"] == "Basic realm=\"morpheo\"")
        #expect(errorMessage(anonymous) != nil)
        let noToken = await h.app.call(.GET, "/problem", identity: user, internalToken: "wrong")
        #expect(noToken.status == 401)
        #expect(await h.post("/problem", "{}", as: nil).status == 401)
        // Compute cannot use the user API; users cannot use the compute API.
        #expect(await h.get("/problem", as: compute).status == 403)
        #expect(await h.problem("P1").status == 201)
        #expect(await h.post("/problem", #"{"uuid":"P2","workflow":"W","test_dataset":[],"size_train_dataset":1}"#, as: compute).status == 403)
        #expect(await h.post("/worker/learnuplet/x", #"{"worker":"w"}"#, as: user).status == 403)
        #expect(await h.post("/learndone/x", #"{"status":"failed"}"#, as: user).status == 403)
        #expect(await h.post("/preddone/x", #"{"status":"failed"}"#, as: admin).status == 403)
        #expect(await h.get("/problem", as: admin).status == 200)
        #expect(await h.post("/worker/learnuplet/x", #"{"worker":"w"}"#, as: nil).status == 401)
        // Health stays open; metrics are for operators.
        #expect(await h.get("/health", as: nil).status == 200)
        #expect(await h.get("/metrics", as: nil).status == 401)
        #expect(await h.get("/metrics", as: user).status == 403)
        #expect(await h.get("/metrics", as: admin).status == 200)
    }

    @Test(arguments: TestBackend.allCases) func fiftyConcurrentClaimsOneWinner(_ backend: TestBackend) async throws {
        let h = try await Harness.make(backend: backend)
        defer { Task { await h.shutdown() } }
        await h.problem("P1", size: 1)
        await h.data(["d1"], problems: ["P1"])
        await h.algo("A1", problem: "P1")
        let id = await h.learnuplets()[0]["uuid"] as! String
        let statuses = await withTaskGroup(of: (Int, String).self) { group in
            for i in 0..<50 {
                group.addTask {
                    let r = await h.post("/worker/learnuplet/\(id)", #"{"worker":"w\#(i)"}"#, as: compute)
                    return (r.status, "w\(i)")
                }
            }
            var out: [(Int, String)] = []
            for await s in group { out.append(s) }
            return out
        }
        let winners = statuses.filter { $0.0 == 200 }
        #expect(winners.count == 1)
        #expect(statuses.filter { $0.0 == 400 }.count == 49)
        let doc = object(await h.get("/learnuplet/\(id)"))
        #expect(doc["worker"] as? String == winners.first?.1)
        #expect(doc["status"] as? String == "pending")
    }

    @Test(arguments: TestBackend.allCases) func manyWorkersClaimEachUpletExactlyOnce(_ backend: TestBackend) async throws {
        let h = try await Harness.make(backend: backend)
        defer { Task { await h.shutdown() } }
        await h.problem("P1", size: 1)
        await h.data((0..<40).map { "d\($0)" }, problems: ["P1"])
        await h.algo("A1", problem: "P1")
        let ids = await h.learnuplets().map { $0["uuid"] as! String }
        #expect(ids.count == 40)
        // 8 workers each try every uplet, in their own order.
        let wins = await withTaskGroup(of: [String].self) { group in
            for w in 0..<8 {
                group.addTask {
                    var won: [String] = []
                    for id in ids.shuffled() where await h.post("/worker/learnuplet/\(id)", #"{"worker":"w\#(w)"}"#, as: compute).status == 200 {
                        won.append(id)
                    }
                    return won
                }
            }
            var all: [String] = []
            for await w in group { all += w }
            return all
        }
        #expect(wins.count == 40)
        #expect(Set(wins) == Set(ids))
        #expect(await h.learnuplets("status=pending").count == 40)
    }
}
