import Contracts
import Foundation
import HTTPCore
import JSON
import ServiceKit
import Testing
@testable import TaskManager
import TestSupport

/// `/openapi.json` against the handlers: every registered route documented and every
/// documented operation registered; each schema's properties exactly the keys its contract
/// type encodes; `/docs` and `/redoc` as FastAPI serves them; CORS for the document's origins.
@Suite("OpenAPI and docs")
struct OpenAPITests {
    typealias API = TaskManagerAPI

    @Test func documentedOperationsAreExactlyTheRoutes() async throws {
        let fx = try await TaskManagerFixture()
        // The HTML pages are not operations of the API (FastAPI does not list them either).
        let pages = Set(["/docs", "/redoc", "/api/docs", "/api/redoc"].map { "GET \($0)" })
        #expect(OpenAPIRouteCheck.mismatches(router: fx.app.router, document: TaskManagerOpenAPI.document.json, ignoring: pages) == [])
        let served = await fx.app.call(.GET, "/openapi.json")
        #expect(served.status == 200)
        #expect(served.headers["Content-Type"] == "application/json")
        let document = try JSONParser().parse(served.body)
        #expect(document.object?["openapi"] == .string("3.1.0"))
        #expect(Set(document.object?["paths"]?.object?.keys ?? []) == Set(TaskManagerOpenAPI.document.operations.map(\.path)))
        await fx.close()
    }

    /// The property names of a schema, and its required ones.
    func properties(_ name: String) throws -> (all: Set<String>, required: Set<String>) {
        let schema = try #require(TaskManagerOpenAPI.schemas.first { $0.name == name }?.schema.object)
        let all = Set(schema["properties"]?.object?.keys ?? [])
        let required = Set((schema["required"]?.array ?? []).compactMap(\.string))
        return (all, required)
    }

    /// The keys `value` encodes to.
    func keys<T: Encodable>(_ value: T) throws -> Set<String> {
        Set(try JSONParser().parse(try JSONWriter.encode(value)).object?.keys ?? [])
    }

    @Test func schemasMatchTheContractTypes() throws {
        let summary = API.TaskSummary(id: "a", name: "b", description: "c", status: .draft, path: "/p", createdAt: "t")
        let samples: [(String, Set<String>)] = [
            ("SFTConfig", try keys(API.SFTConfig(apiKey: "k", baseUrl: "u", model: "m", suggestionsCount: 3))),
            ("SFTGenerateRequest", try keys(API.SFTGenerateRequest(content: "c", config: .init(apiKey: "k", model: "m"), jobId: "j"))),
            ("SFTGenerateResponse", try keys(API.SFTGenerateResponse(data: "d"))),
            ("GenerateTaskRequest", try keys(API.GenerateTaskRequest(repoUrl: "r", issueNumber: 1, prNumber: 2, jobId: "j"))),
            ("GeneratedTask", try keys(API.GeneratedTask(id: "i", name: "n", description: "d", files: [:]))),
            ("GenerateTaskResponse", try keys(API.GenerateTaskResponse(task: .init(id: "i", name: "n", description: "d", files: [:])))),
            ("TaskSummary", try keys(summary)),
            ("TaskDetail", try keys(API.TaskDetail(summary: summary, files: [:]))),
            ("TaskList", try keys(API.TaskList(tasks: [], total: 0))),
            ("CreateTaskRequest", try keys(API.CreateTaskRequest(name: "n", description: "d", files: [:]))),
            ("UpdateTaskRequest", try keys(API.UpdateTaskRequest(name: "n", description: "d", status: .ready, files: [:]))),
            ("DeleteTaskResponse", try keys(API.DeleteTaskResponse(message: "m"))),
            ("ValidateTaskRequest", try keys(API.ValidateTaskRequest(taskPath: "p"))),
            ("ValidationResult", try keys(API.ValidationResult(valid: true, errors: [], warnings: []))),
            ("ProgressMessage", try keys(API.ProgressMessage(progress: 0.5, stage: "s", jobId: "j"))),
        ]
        for (name, encoded) in samples {
            let (all, required) = try properties(name)
            #expect(all == encoded, "\(name): \(all.symmetricDifference(encoded))")
            #expect(required.isSubset(of: all), "\(name)")
        }
        // Required: what a minimal value still encodes.
        #expect(try properties("CreateTaskRequest").required == keys(API.CreateTaskRequest(name: "n")))
        #expect(try properties("GenerateTaskRequest").required == keys(API.GenerateTaskRequest(repoUrl: "r")))
        #expect(try properties("UpdateTaskRequest").required == keys(API.UpdateTaskRequest()))
        let statuses = TaskManagerOpenAPI.schemas.first { $0.name == "TaskStatus" }?.schema.object?["enum"]?.array?.compactMap(\.string)
        #expect(statuses == ["draft", "ready", "testing", "completed", "failed"])
        // Every $ref points at a schema that exists.
        let text = TaskManagerOpenAPI.document.json.serializedText
        let names = Set(TaskManagerOpenAPI.document.json.object?["components"]?.object?["schemas"]?.object?.keys ?? [])
        for piece in text.components(separatedBy: "#/components/schemas/").dropFirst() {
            #expect(names.contains(String(piece.prefix { $0 != "\"" })), "\(piece.prefix(30))")
        }
    }

    @Test func docsPagesAndCORS() async throws {
        let fx = try await TaskManagerFixture()
        for (path, document) in [("/docs", "'/openapi.json'"), ("/api/docs", "'/api/openapi.json'"),
                                 ("/redoc", "spec-url=\"/openapi.json\""), ("/api/redoc", "spec-url=\"/api/openapi.json\"")] {
            let page = await fx.app.call(.GET, path)  // no identity: public
            #expect(page.status == 200, "\(path)")
            #expect(page.headers["Content-Type"] == "text/html; charset=utf-8")
            #expect(page.text.contains(document), "\(path)")
            #expect(page.text.contains("https://cdn.jsdelivr.net/npm/"), "\(path)")
        }
        #expect(await fx.app.call(.GET, "/api/openapi.json").text == TaskManagerOpenAPI.document.json.serializedText)
        // Everything else needs the gateway's token.
        #expect(await fx.app.call(.GET, "/api/tasks").status == 401)
        // CORS: the document's origins.
        for origin in ["http://localhost:3000", "http://127.0.0.1:3000"] {
            let preflight = await fx.app.call(.OPTIONS, "/api/tasks", headers: ["Origin": origin, "Access-Control-Request-Method": "POST",
                                                                                 "Access-Control-Request-Headers": "content-type"])
            #expect(preflight.status == 204)
            #expect(preflight.headers["Access-Control-Allow-Origin"] == origin)
            let answer = await fx.call(.GET, "/api/tasks", headers: ["Origin": origin])
            #expect(answer.headers["Access-Control-Allow-Origin"] == origin)
        }
        let stranger = await fx.call(.GET, "/api/tasks", headers: ["Origin": "http://evil.example"])
        #expect(stranger.headers["Access-Control-Allow-Origin"] == nil)
        #expect(await fx.app.call(.GET, "/health").text == #"{"status":"healthy"}"#)
        await fx.close()
    }
}
