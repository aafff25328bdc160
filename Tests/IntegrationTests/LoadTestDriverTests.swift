import Foundation
import Testing
import TestSupport

/// deploy/loadtest's driver (`aidevtools-loadtest`) against the real services through the
/// real gateway, for about a second each: it runs, writes its JSON result, and a healthy
/// system gives it requests of every operation and no unexpected answer. Counts only.
@Suite(.serialized) struct LoadTestDriverTests {
    func object(_ value: Any?) -> [String: Any] { value as? [String: Any] ?? [:] }

    @Test func taskManagerAndOrchestratorScenariosRunCleanThroughTheGateway() async throws {
        let system = try SystemHarness()
        let key = try await system.createUser("loadtest", roles: ["user", "admin", "compute"])
        try await system.startAll()
        defer { system.terminateAll() }
        let out = system.dataRoot.appendingPathComponent("loadtest-results")
        let expectedOperations: [String: Set<String>] = [
            "task-manager": ["create", "get", "update", "search", "list by status", "export"],
            "orchestrator": ["list todo", "claim"],
        ]
        for (scenario, operations) in expectedOperations.sorted(by: { $0.key < $1.key }) {
            let run = try await TestSupport.run(TestSupport.binDir.appendingPathComponent("aidevtools-loadtest"),
                                                arguments: [scenario, "--url", "http://127.0.0.1:\(system.gatewayPort)", "--key", key,
                                                            "--duration", "1", "--connections", "2", "--out", out.path],
                                                includingStandardError: true)
            #expect(run.status == 0, "\(run.output)")
            #expect(run.output.contains("driver CPU"), "\(run.output)")
            let data = try Data(contentsOf: out.appendingPathComponent("\(scenario).json"))
            let result = object(try JSONSerialization.jsonObject(with: data))
            #expect(result["scenario"] as? String == scenario)
            let total = object(result["total"])
            #expect((total["requests"] as? Int ?? 0) > 0, "\(total)")
            #expect(total["unexpected"] as? Int == 0, "\(result)")
            let seen = Set(((result["operations"] as? [Any]) ?? []).compactMap { object($0)["name"] as? String })
            #expect(operations.isSubset(of: seen), "\(scenario): \(seen)")
            let timeline = (result["timeline"] as? [Any]) ?? []
            let bucketed = timeline.reduce(0) { $0 + (object($1)["requests"] as? Int ?? 0) }
            #expect(bucketed == total["requests"] as? Int)
            #expect(object(result["driver"])["cpu_seconds"] as? Double != nil)
        }
        _ = await system.stopAll()
    }
}
