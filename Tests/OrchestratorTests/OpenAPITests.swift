import Contracts
import HTTPCore
import JSON
@testable import Orchestrator
import ServiceKit
import Testing
import TestSupport

/// `/openapi.json` against the handlers: every documented operation is routed and every
/// route documented; the document is served without identity; real documents have exactly
/// the keys (and the required ones) their schemas name.
@Suite("orchestrator OpenAPI")
struct OrchestratorOpenAPITests {
    @Test func documentIsTheRouter() async throws {
        let h = try await Harness.make()
        defer { Task { await h.shutdown() } }
        #expect(OpenAPIRouteCheck.mismatches(router: h.instance.definition.router, document: OrchestratorOpenAPI.document.json) == [])
        let served = await h.get("/openapi.json", as: nil)
        #expect(served.status == 200)
        #expect(try JSONParser().parse(served.body) == OrchestratorOpenAPI.document.json)
    }

    @Test func documentsHaveTheSchemasKeys() async throws {
        let h = try await Harness.make()
        defer { Task { await h.shutdown() } }
        await h.problem("P1", size: 1)
        await h.data(["d1"], problems: ["P1"])
        await h.algo("A1", problem: "P1")
        let schemas = try #require(OrchestratorOpenAPI.document.json.object?["components"]?.object?["schemas"]?.object)
        for (path, name) in [("/problem/P1", "Problem"), ("/algo/A1", "Algo"), ("/data/d1", "Data"),
                             ("/learnuplet/" + (await h.learnuplets()[0]["uuid"] as! String), "Learnuplet")] {
            let document = try #require(try JSONParser().parse(await h.get(path).body).object, "\(path)")
            let schema = try #require(schemas[name]?.object)
            #expect(schema["properties"]?.object?.keys == document.keys, "\(name)")
            // Every key is written (null included), so every key is required.
            #expect(schema["required"]?.strings == document.keys, "\(name)")
        }
        let learnuplet = try #require(schemas["Learnuplet"]?.object?["properties"]?.object)
        #expect(learnuplet["worker"]?.object?["type"] == .array([.string("string"), .string("null")]))
        #expect(learnuplet["status"] == OpenAPISchema.ref("Status"))
    }
}
