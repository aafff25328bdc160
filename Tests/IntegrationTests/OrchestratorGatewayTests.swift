import Foundation
import Testing

/// The orchestrator through the real gateway, with HTTP Basic (user name + API key) as
/// Morpheo's clients send it.
@Suite(.serialized) struct OrchestratorGatewayTests {
    func json(_ s: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(s.utf8))) as? [String: Any] ?? [:]
    }

    @Test func morpheoFlowThroughTheGatewayWithBasicAuth() async throws {
        let system = try SystemHarness()
        let userKey = try await system.createUser("alice", roles: ["user"])
        let workerKey = try await system.createUser("worker1", roles: ["compute"])
        try await system.startAll()
        defer { system.terminateAll() }
        let gw = system.gatewayPort
        let alice = ["Authorization": basicAuth("alice", userKey), "Content-Type": "application/json"]
        let worker = ["Authorization": basicAuth("worker1", workerKey), "Content-Type": "application/json"]

        // No credentials: 401 with Morpheo's Basic challenge.
        let anon = try await SimpleHTTP.get(port: gw, path: "/orchestrator/problem")
        #expect(anon.status == 401)
        #expect(anon.headers["www-authenticate"]?.contains("Basic") == true)
        // Wrong key for the user name.
        let wrong = try await SimpleHTTP.get(port: gw, path: "/orchestrator/problem", headers: ["Authorization": basicAuth("alice", workerKey)])
        #expect(wrong.status == 403)

        let p = try await SimpleHTTP.request("POST", port: gw, path: "/orchestrator/problem", headers: alice,
                                       body: #"{"uuid":"P1","workflow":"W1","test_dataset":["t1"],"size_train_dataset":2}"#)
        #expect(p.status == 201, "\(p.body)")
        let d = try await SimpleHTTP.request("POST", port: gw, path: "/orchestrator/data", headers: alice,
                                       body: #"{"uuid":["d1","d2","d3","t1"],"problems":["P1"]}"#)
        #expect(d.status == 201, "\(d.body)")
        let a = try await SimpleHTTP.request("POST", port: gw, path: "/orchestrator/algo", headers: alice,
                                       body: #"{"uuid":"A1","name":"algo","problem":"P1"}"#)
        #expect(a.status == 201)
        #expect(json(a.body)["new_learnuplets"] as? Int == 2)  // d1,d2 | d3 (t1 is test data)

        let todo = try await SimpleHTTP.get(port: gw, path: "/orchestrator/learnuplet?status=todo&rank=0", headers: alice)
        let uplets = json(todo.body)["learnuplets"] as? [[String: Any]] ?? []
        #expect(uplets.count == 1)
        let id = try #require(uplets.first?["uuid"] as? String)
        #expect(uplets.first?["model_start"] as? String == "A1")

        // A user may not claim; the compute worker may, once.
        let userClaim = try await SimpleHTTP.request("POST", port: gw, path: "/orchestrator/worker/learnuplet/\(id)", headers: alice, body: #"{"worker":"x"}"#)
        #expect(userClaim.status == 403)
        let claim = try await SimpleHTTP.request("POST", port: gw, path: "/orchestrator/worker/learnuplet/\(id)", headers: worker, body: #"{"worker":"w1"}"#)
        #expect(claim.status == 200)
        #expect(json(claim.body)["learnuplet_worker_set"] as? String == id)
        let again = try await SimpleHTTP.request("POST", port: gw, path: "/orchestrator/worker/learnuplet/\(id)", headers: worker, body: #"{"worker":"w2"}"#)
        #expect(again.status == 400)

        let done = try await SimpleHTTP.request("POST", port: gw, path: "/orchestrator/learndone/\(id)", headers: worker,
                                          body: #"{"status":"done","perf":0.9,"train_perf":{"d1":0.9,"d2":0.8},"test_perf":{"t1":0.9}}"#)
        #expect(done.status == 200, "\(done.body)")
        let after = try await SimpleHTTP.get(port: gw, path: "/orchestrator/learnuplet/\(id)", headers: alice)
        #expect(json(after.body)["status"] as? String == "done")
        // A prediction now picks the trained model.
        let pred = try await SimpleHTTP.request("POST", port: gw, path: "/orchestrator/prediction", headers: alice, body: #"{"data":"d9","problem":"P1"}"#)
        #expect(pred.status == 201)
        #expect(json(pred.body)["model"] as? String == (json(after.body)["model_end"] as? String))
        // Calling the orchestrator directly, without the gateway's token, is refused.
        let direct = try await SimpleHTTP.get(port: system.services["orchestrator"]!.port, path: "/problem",
                                        headers: ["X-User-Id": "1", "X-User-Roles": "admin"])
        #expect(direct.status == 401)
        _ = await system.stopAll()
    }
}
