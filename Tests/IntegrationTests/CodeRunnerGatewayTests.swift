import Foundation
import Testing

/// code-runner behind the real gateway and binaries: a session from `/session`, then
/// `/code/execute`, `/upload_dataframe` (multipart), `/reset-session`, `/code/clean-code`,
/// `/code/get-latest-code`, and the errors, each in code-runner's `{"detail"}` envelope.
@Suite(.serialized) struct CodeRunnerGatewayTests {
    static func json(_ body: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }

    static func body(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test func codeRoutesThroughTheGateway() async throws {
        let system = try SystemHarness()
        let aliceKey = try await system.createUser("alice", roles: ["user"])
        let bobKey = try await system.createUser("bob", roles: ["user"])
        try await system.startAll(extraEnvironment: ["AUTH_CACHE_TTL_S": "0"])
        defer { system.terminateAll() }
        let gateway = system.gatewayPort
        func session(_ key: String) async throws -> String {
            let response = try await SimpleHTTP.get(port: gateway, path: "/session", headers: ["API-Key": key])
            guard response.status == 200 else { throw HarnessError(message: "session: \(response.status) \(response.body)") }
            return response.body.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let alice = try await session(aliceKey)
        let bob = try await session(bobKey)
        func post(_ path: String, _ object: [String: Any], as credential: String, headers: [String: String] = [:]) async throws -> SimpleHTTP.Response {
            try await SimpleHTTP.request("POST", port: gateway, path: path,
                                         headers: ["Session-ID": credential, "Content-Type": "application/json"].merging(headers) { $1 },
                                         body: Self.body(object))
        }

        let run = try await post("/code/execute", ["code": "# stats code start\nprint(df.shape)\n# stats code end\nprint(1/0)",
                                                   "session_id": "analysis-1", "message_id": 5], as: alice)
        #expect(run.status == 200, "\(run.body)")
        let result = try #require(Self.json(run.body))
        #expect((result["output"] as? String)?.contains("(240, 10)") == true)
        #expect(result["failed_blocks"] as? [String] == ["main"])
        #expect(result["is_successful"] as? Bool == false)

        // Upload a CSV to the session (multipart, as Auto-Analyst's client sends it).
        let boundary = "gw-boundary"
        let multipart = "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"pets.csv\"\r\nContent-Type: text/csv\r\n\r\n"
            + "pet,legs\ncat,4\nbird,2\n\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\npets\r\n--\(boundary)--\r\n"
        let upload = try await SimpleHTTP.request("POST", port: gateway, path: "/upload_dataframe",
                                                  headers: ["Session-ID": alice, "X-Session-ID": "analysis-1",
                                                            "Content-Type": "multipart/form-data; boundary=\(boundary)"],
                                                  body: multipart)
        #expect(upload.status == 200, "\(upload.body)")
        #expect(Self.json(upload.body)?["name"] as? String == "pets")
        let legs = try await post("/code/execute", ["code": "print(df.legs.sum())", "session_id": "analysis-1"], as: alice)
        #expect((Self.json(legs.body)?["output"] as? String)?.contains("6") == true)

        // Bob cannot use alice's session; a reset brings the sample back for alice.
        let stolen = try await post("/code/execute", ["code": "print(df)", "session_id": "analysis-1"], as: bob)
        #expect(stolen.status == 404)
        #expect(Self.json(stolen.body)?["detail"] as? String == "session not found")
        let reset = try await SimpleHTTP.request("POST", port: gateway, path: "/reset-session?session_id=analysis-1",
                                                 headers: ["Session-ID": alice], body: "")
        #expect(reset.status == 200, "\(reset.body)")
        let sample = try await post("/code/execute", ["code": "print(len(df))", "session_id": "analysis-1"], as: alice)
        #expect((Self.json(sample.body)?["output"] as? String)?.contains("240") == true)

        let clean = try await post("/code/clean-code", ["code": "x = 1\nimport os\nprint(os.sep)"], as: alice)
        #expect(Self.json(clean.body)?["cleaned_code"] as? String == "import os\n\nx = 1\nprint(os.sep)")
        let latest = try await post("/code/get-latest-code", ["message_id": 5], as: alice)
        #expect((Self.json(latest.body)?["code"] as? String)?.hasPrefix("# stats code start") == true)
        let unknown = try await post("/code/get-latest-code", ["message_id": 6], as: alice)
        #expect(unknown.status == 404)
        let wrongType = try await post("/code/execute", ["code": 5], as: alice)
        #expect(wrongType.status == 422)
        let noCode = try await post("/code/execute", [:], as: alice)
        #expect(noCode.status == 400)
        #expect(Self.json(noCode.body)?["detail"] as? String == "No code provided")
        // No LLM upstream is configured behind aibridge-query here: edit and fix answer 200,
        // keeping the code and saying why.
        let edit = try await post("/code/edit", ["original_code": "print(1)", "user_prompt": "print 2"], as: alice)
        #expect(edit.status == 200, "\(edit.body)")
        #expect(Self.json(edit.body)?["edited_code"] as? String == "print(1)")
        #expect(Self.json(edit.body)?["error"] is String)
        let fix = try await post("/code/fix", ["code": "print(1/0)", "error": "ZeroDivisionError"], as: alice)
        #expect(fix.status == 200, "\(fix.body)")
        #expect(Self.json(fix.body)?["fixed_code"] as? String == "print(1/0)")
        let noPrompt = try await post("/code/edit", ["original_code": "print(1)"], as: alice)
        #expect(noPrompt.status == 400)
        let anonymous = try await SimpleHTTP.request("POST", port: gateway, path: "/code/execute", body: "{}")
        #expect(anonymous.status == 401)
        _ = await system.stopAll()
    }
}
