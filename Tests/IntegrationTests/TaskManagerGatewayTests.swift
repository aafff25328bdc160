import Contracts
import Foundation
import HTTPCore
import JSON
import Testing
import TestSupport

/// task-manager through the real gateway binary (and the real task-manager binary), with a
/// local GitHub and a local LLM bridge: CRUD, search, export, generate-task, SFT, errors in
/// `{"detail"}`, the documentation without credentials, and progress read by Python's
/// `websockets` through the gateway with the session id in the query.
@Suite(.serialized) struct TaskManagerGatewayTests {
    typealias API = TaskManagerAPI
    static var python: String { ProcessInfo.processInfo.environment["TEST_PYTHON"] ?? "deploy/.venv/bin/python" }

    @Test func seekingDataFlowThroughTheGateway() async throws {
        let github = try FakeGitHub()
        github.addRepository("octo/widgets")
        github.addIssue("octo/widgets", number: 3, title: "Crash on empty input", body: "render([]) raises")
        let bridge = try FakeLLMBridge(script: [.content(FakeLLMBridge.items(2))])
        let system = try SystemHarness()
        let key = try await system.createUser("ada", roles: ["user"])
        try await system.startAll(extraEnvironment: ["GITHUB_API_URL": github.url, "AIBRIDGE_URL": bridge.url, "LLM_RETRY_BASE_MS": "1"])
        defer { system.terminateAll() }
        let client = HTTPClient(configuration: .testing())
        let base = "http://127.0.0.1:\(system.gatewayPort)"
        let session = try await String(decoding: client.get(base + "/session", headers: ["API-Key": key]).body.collect(upTo: 1024), as: UTF8.self)
        let headers: HTTPHeaders = ["Session-ID": session, "Content-Type": "application/json"]

        func call(_ method: HTTPMethod, _ path: String, _ body: String? = nil, authenticated: Bool = true) async throws -> (Int, HTTPHeaders, [UInt8]) {
            let response = try await client.execute(HTTPClientRequest(method: method, url: base + path, headers: authenticated ? headers : [:],
                                                                      body: .bytes(Array((body ?? "").utf8))))
            return (response.status.code, response.headers, try await response.body.collect(upTo: 64 << 20))
        }

        // Create, list with search, update, get, export, delete.
        let (created, _, createdBody) = try await call(.POST, "/api/tasks", #"{"name":"Gateway task","description":"Through the GATEWAY"}"#)
        #expect(created == 200, "\(String(decoding: createdBody, as: UTF8.self))")
        let task = try StrictJSONDecoder().decode(API.TaskSummary.self, from: createdBody)
        let (_, _, listBody) = try await call(.GET, "/api/tasks?search=gateway&status=draft")
        #expect(try StrictJSONDecoder().decode(API.TaskList.self, from: listBody).tasks.map(\.id) == [task.id])
        #expect(try await call(.PUT, "/api/tasks/\(task.id)", #"{"status":"ready","files":{"solution/solve.sh":"true\n"}}"#).0 == 200)
        let (_, _, detailBody) = try await call(.GET, "/api/tasks/\(task.id)")
        let detail = try StrictJSONDecoder().decode(API.TaskDetail.self, from: detailBody)
        #expect(detail.status == .ready)
        #expect(detail.files["solution/solve.sh"] == "true\n")
        let (exported, exportHeaders, archive) = try await call(.GET, "/api/tasks/\(task.id)/export")
        #expect(exported == 200)
        #expect(exportHeaders["Content-Disposition"] == "attachment; filename=\"task-\(task.id).zip\"")
        #expect(archive.starts(with: [0x50, 0x4B, 0x03, 0x04]))
        let (valid, _, validBody) = try await call(.POST, "/api/tasks/validate", #"{"taskPath":"\#(task.id)"}"#)
        #expect(valid == 200)
        #expect(try StrictJSONDecoder().decode(API.ValidationResult.self, from: validBody).valid)

        // Client mistakes: never a 500, always {"detail"}.
        for (method, path, body, status) in [(HTTPMethod.POST, "/api/tasks/validate", #"{"taskPath":"/etc"}"#, 400),
                                             (.GET, "/api/tasks/nope", nil, 404), (.GET, "/api/tasks?limit=1000", nil, 400),
                                             (.POST, "/api/tasks", "{", 400), (.POST, "/api/tasks", #"{"files":{}}"#, 422),
                                             (.POST, "/api/github/generate-task", #"{"repoUrl":"https://example.com/a/b","issueNumber":1}"#, 400),
                                             (.POST, "/api/sft/generate", #"{"content":"x","config":{"model":"m"}}"#, 400)] {
            let (code, _, answer) = try await call(method, path, body)
            #expect(code == status, "\(method) \(path): \(String(decoding: answer, as: UTF8.self))")
            #expect((try? StrictJSONDecoder().decode(DetailError.self, from: answer)) != nil, "\(path)")
        }

        // GitHub → task, and SFT through the (fake) bridge with ada's identity.
        let (generated, _, generatedBody) = try await call(.POST, "/api/github/generate-task", #"{"repoUrl":"https://github.com/octo/widgets","issueNumber":3}"#)
        #expect(generated == 200, "\(String(decoding: generatedBody, as: UTF8.self))")
        #expect(try StrictJSONDecoder().decode(API.GenerateTaskResponse.self, from: generatedBody).task.files["instruction.md"]?.contains("render([]) raises") == true)
        let (sft, _, sftBody) = try await call(.POST, "/api/sft/generate", #"{"content":"Qubits.","config":{"apiKey":"sk-x","model":"m","suggestionsCount":2}}"#)
        #expect(sft == 200, "\(String(decoding: sftBody, as: UTF8.self))")
        #expect(try StrictJSONDecoder().decode(API.SFTGenerateResponse.self, from: sftBody).data.split(separator: "\n").count == 2)
        let bridged = try #require(bridge.calls.first)
        #expect(bridged.headers["X-User-Name"] == "ada")
        #expect(bridged.headers["X-Internal-Token"] == system.token)
        #expect(bridged.headers["X-Internal-Upstream-Key"] == "sk-x")

        // Documentation without credentials; the API itself not.
        let (docs, docsHeaders, docsBody) = try await call(.GET, "/api/docs", authenticated: false)
        #expect(docs == 200)
        #expect(docsHeaders["Content-Type"]?.hasPrefix("text/html") == true)
        #expect(String(decoding: docsBody, as: UTF8.self).contains("/api/openapi.json"))
        #expect(try await call(.GET, "/api/openapi.json", authenticated: false).0 == 200)
        #expect(try await call(.GET, "/api/redoc", authenticated: false).0 == 200)
        #expect(try await call(.GET, "/api/tasks", authenticated: false).0 == 401)

        // Progress through the gateway, read by Python's websockets with ?session_id=.
        #expect(FileManager.default.isExecutableFile(atPath: Self.python), "run deploy/test, which provisions \(Self.python)")
        bridge.setScript([.content(FakeLLMBridge.items(1))])
        let child = Task {
            try await TestSupport.run(URL(fileURLWithPath: Self.python),
                                      arguments: ["deploy/checks/progress_check.py", "ws://127.0.0.1:\(system.gatewayPort)/ws?jobId=it-1&session_id=\(session)"],
                                      includingStandardError: true)
        }
        let (sftAgain, _, _) = try await call(.POST, "/api/sft/generate",
                                              #"{"content":"Qubits.","config":{"apiKey":"sk-x","model":"m","suggestionsCount":1},"jobId":"it-1"}"#)
        #expect(sftAgain == 200)
        let result = try await child.value
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains(#""stage": "done""#) && result.output.contains(#""jobId": "it-1""#), "\(result.output)")

        #expect(try await call(.DELETE, "/api/tasks/\(task.id)").0 == 200)
        await client.shutdown()
        let codes = await system.stopAll()
        #expect(codes["task-manager"] == 0)
        #expect(codes["auth-gateway"] == 0)
        await github.stop()
        await bridge.stop()
    }
}
