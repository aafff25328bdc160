import Contracts
import Foundation
import ServiceKit
import Testing
import TestSupport
@testable import CodeRunner

/// `POST /code/execute` over HTTP (in-process): blocks, outputs, errors, figures, the
/// session's namespace, and the API's errors.
@Suite(.serialized) struct ExecuteTests {
    @Test func sampleDatasetIsReadyAndNamespacePersists() async throws {
        let service = try await CodeRunnerFixture.start()
        defer { Task { await service.close() } }
        let first = try await service.execute("print(df.shape)\nprint(df.groupby('region').revenue.sum().round(0).to_dict())\nanswer = 41")
        #expect(first.isSuccessful)
        #expect(first.failedBlocks.isEmpty)
        #expect(first.output.contains("=== OUTPUT FROM main ==="))
        #expect(first.output.contains("(\(SampleDataset.rows), \(SampleDataset.columns.count))"))
        #expect(first.output.contains("'East'"))
        let second = try await service.execute("print(answer + 1, list(df.columns) == \(SampleDataset.columns))")
        #expect(second.output.contains("42 True"))
        #expect(!second.timedOut)
    }

    @Test func blocksRunInOrderAndAFailingBlockIsNamedWithItsLine() async throws {
        let service = try await CodeRunnerFixture.start()
        defer { Task { await service.close() } }
        let code = """
            # loader_agent code start
            total = int(df.units.sum())
            print("units", total)
            # loader_agent code end
            # broken_agent code start
            ratio = total / 0
            # broken_agent code end
            # report_agent code start
            import sys
            print("still runs", total > 0)
            print("to stderr", file=sys.stderr)
            # report_agent code end
            """
        let result = try await service.execute(code)
        #expect(!result.isSuccessful)
        #expect(result.failedBlocks == ["broken_agent"])
        try #require(result.blocks.map(\.name) == ["loader_agent", "broken_agent", "report_agent"])
        #expect(result.output.contains("=== ERROR IN broken_agent ==="))
        #expect(result.output.contains("ZeroDivisionError: division by zero"))
        #expect(result.output.contains("Problem at line 6: ratio = total / 0"))
        #expect(result.blocks[2].stdout.contains("still runs True"))
        #expect(result.blocks[2].stderr == "to stderr\n")
        #expect(result.blocks[0].error == nil)
    }

    @Test func syntaxErrorNamesTheLineAndMainBlockRuns() async throws {
        let service = try await CodeRunnerFixture.start()
        defer { Task { await service.close() } }
        let broken = try await service.execute("x = 1\nif x >\n    print(x)")
        #expect(broken.failedBlocks == ["main"])
        #expect(broken.output.contains("SyntaxError"))
        #expect(broken.output.contains("Problem at line 2"))
        let main = try await service.execute("def run():\n    print('main body ran')\n\nif __name__ == \"__main__\":\n    run()")
        #expect(main.isSuccessful)
        #expect(main.output.contains("main body ran"))
    }

    @Test func plotlyAndMatplotlibFiguresAreCaptured() async throws {
        let service = try await CodeRunnerFixture.start()
        defer { Task { await service.close() } }
        let code = """
            fig = px.bar(df.groupby("region", as_index=False).revenue.sum(), x="region", y="revenue")
            fig.show()
            go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2])).show()
            plt.plot([1, 2, 3], [2, 4, 3])
            plt.title("units")
            plt.show()
            print("after show")
            """
        let result = try await service.execute(code)
        #expect(result.isSuccessful, "\(result.output)")
        try #require(result.plotlyOutputs.count == 2)
        try #require(result.matplotlibOutputs.count == 1)
        let figure = try #require(try JSONSerialization.jsonObject(with: Data(result.plotlyOutputs[0].utf8)) as? [String: Any])
        let data = try #require(figure["data"] as? [[String: Any]])
        #expect(data.first?["type"] as? String == "bar")
        let png = try #require(Data(base64Encoded: result.matplotlibOutputs[0]))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(result.output.contains("after show"))
    }

    @Test func clientMistakesAreFourHundreds() async throws {
        let service = try await CodeRunnerFixture.start()
        defer { Task { await service.close() } }
        let noCode = await service.app.call(.POST, "/code/execute", identity: CodeRunnerFixture.alice,
                                            headers: ["Content-Type": "application/json"], body: Array("{}".utf8))
        #expect(noCode.status == 400)
        #expect(noCode.text.contains("\"detail\""))
        #expect(noCode.text.contains("No code provided"))
        let blank = await service.post("/code/execute", json: CodeRunnerAPI.ExecuteRequest(code: "   "))
        #expect(blank.status == 400)
        let wrongType = await service.app.call(.POST, "/code/execute", identity: CodeRunnerFixture.alice,
                                               headers: ["Content-Type": "application/json"],
                                               body: Array(#"{"code": "print(1)", "message_id": "seven"}"#.utf8))
        #expect(wrongType.status == 422)
        #expect(wrongType.text.contains("message_id"))
        let notJSON = await service.app.call(.POST, "/code/execute", identity: CodeRunnerFixture.alice, body: Array("print(1)".utf8))
        #expect(notJSON.status == 400)
        let anonymous = await service.app.call(.POST, "/code/execute", body: Array(#"{"code": "print(1)"}"#.utf8))
        #expect(anonymous.status == 401)
        let badSession = await service.post("/code/execute", json: CodeRunnerAPI.ExecuteRequest(code: "print(1)", sessionID: "../etc"))
        #expect(badSession.status == 400)
    }

    @Test func sessionsBelongToOneUserAndComeFromBodyHeaderOrQuery() async throws {
        let service = try await CodeRunnerFixture.start()
        defer { Task { await service.close() } }
        _ = try await service.execute("marker = 'alice-s1'", session: "s1")
        let fromHeader = await service.app.call(.POST, "/code/execute", identity: CodeRunnerFixture.alice,
                                                headers: ["Content-Type": "application/json", "X-Session-ID": "s1"],
                                                body: Array(#"{"code": "print(marker)"}"#.utf8))
        #expect(fromHeader.status == 200)
        #expect(fromHeader.text.contains("alice-s1"))
        let fromQuery = await service.app.call(.POST, "/code/execute?session_id=s1", identity: CodeRunnerFixture.alice,
                                               headers: ["Content-Type": "application/json"], body: Array(#"{"code": "print(marker)"}"#.utf8))
        #expect(fromQuery.text.contains("alice-s1"))
        // The body wins over the header.
        let bodyFirst = await service.app.call(.POST, "/code/execute", identity: CodeRunnerFixture.alice,
                                               headers: ["Content-Type": "application/json", "X-Session-ID": "s1"],
                                               body: Array(#"{"code": "print('marker' in globals())", "session_id": "s2"}"#.utf8))
        #expect(bodyFirst.text.contains("False"))
        // The default session is another namespace.
        let defaultSession = try await service.execute("print('marker' in globals())")
        #expect(defaultSession.output.contains("False"))
        // Another user's session is a 404, on every route that takes one.
        let stolen = await service.post("/code/execute", as: CodeRunnerFixture.bob, json: CodeRunnerAPI.ExecuteRequest(code: "print(marker)", sessionID: "s1"))
        #expect(stolen.status == 404)
        #expect(stolen.text == #"{"detail":"session not found"}"#)
        let upload = await service.upload(Array("a,b\n1,2\n".utf8), as: CodeRunnerFixture.bob, session: "s1")
        #expect(upload.status == 404)
        let reset = await service.app.call(.POST, "/reset-session?session_id=s1", identity: CodeRunnerFixture.bob)
        #expect(reset.status == 404)
        let edit = await service.post("/code/edit", as: CodeRunnerFixture.bob,
                                      json: CodeRunnerAPI.EditRequest(originalCode: "x", userPrompt: "y", sessionID: "s1"))
        #expect(edit.status == 404)
    }

    @Test func latestCodeIsStoredPerUserAndMessage() async throws {
        let service = try await CodeRunnerFixture.start()
        defer { Task { await service.close() } }
        _ = try await service.execute("print('v1')", messageID: 7)
        _ = try await service.execute("print('v2')", messageID: 7)
        let latest = await service.post("/code/get-latest-code", json: CodeRunnerAPI.LatestCodeRequest(messageID: 7))
        #expect(latest.status == 200)
        #expect(try latest.json(CodeRunnerAPI.LatestCodeResponse.self).code == "print('v2')")
        let otherUser = await service.post("/code/get-latest-code", as: CodeRunnerFixture.bob, json: CodeRunnerAPI.LatestCodeRequest(messageID: 7))
        #expect(otherUser.status == 404)
        #expect(otherUser.text == #"{"detail":"Message not found"}"#)
        let unknown = await service.post("/code/get-latest-code", json: CodeRunnerAPI.LatestCodeRequest(messageID: 8))
        #expect(unknown.status == 404)
        let missing = await service.post("/code/get-latest-code", json: CodeRunnerAPI.LatestCodeRequest(messageID: nil))
        #expect(missing.status == 400)
        let wrongType = await service.app.call(.POST, "/code/get-latest-code", identity: CodeRunnerFixture.alice,
                                               headers: ["Content-Type": "application/json"], body: Array(#"{"message_id": [1]}"#.utf8))
        #expect(wrongType.status == 422)
    }

    @Test func kernelsAreStoppedWhenIdleAndBeyondMaxKernels() async throws {
        let service = try await CodeRunnerFixture.start { $0.maxKernels = 2 }
        defer { Task { await service.close() } }
        _ = try await service.execute("kept = 1", session: "lru1")
        _ = try await service.execute("kept = 2", session: "lru2")
        _ = try await service.execute("kept = 3", session: "lru3")   // lru1's kernel makes room
        #expect(await service.pool.runningCount == 2)
        let evicted = try await service.execute("print('kept' in globals(), df.shape)", session: "lru1")
        #expect(evicted.output.contains("False (\(SampleDataset.rows), \(SampleDataset.columns.count))"))
        let idle = await service.pool.stopIdle(olderThan: .zero)
        #expect(idle == 2)
        #expect(await service.pool.runningCount == 0)
        let restarted = try await service.execute("print('kept' in globals(), len(df))", session: "lru3")
        #expect(restarted.output.contains("False \(SampleDataset.rows)"))
    }

    @Test func openAPIDocumentNamesEveryRoute() async throws {
        let service = try await CodeRunnerFixture.start()
        defer { Task { await service.close() } }
        #expect(OpenAPIRouteCheck.mismatches(router: service.app.router, document: CodeRunnerOpenAPI.document.json) == [])
        let response = await service.app.call(.GET, "/openapi.json")  // no identity: public
        #expect(response.status == 200)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        #expect(Set(paths.keys) == ["/code/execute", "/code/edit", "/code/fix", "/code/clean-code", "/code/get-latest-code",
                                    "/upload_dataframe", "/reset-session", "/health", "/metrics", "/openapi.json"])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let execute = try #require((schemas["ExecuteResponse"] as? [String: Any])?["properties"] as? [String: Any])
        let encoded = try JSONSerialization.jsonObject(with: Data(JSON.encode(CodeRunnerAPI.ExecuteResponse(output: "", isSuccessful: true)))) as? [String: Any]
        #expect(Set(execute.keys) == Set(encoded?.keys ?? [:].keys))
    }
}
