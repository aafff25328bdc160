import Foundation
import HTTPCore
import Synchronization
import Testing
import TestSupport

/// The ids of the calls whose answers arrived whole.
final class CompletedCalls: Sendable {
    private let ids = Mutex<[String]>([])
    func add(_ id: String) { ids.withLock { $0.append(id) } }
    var all: [String] { ids.withLock { $0 } }
}

/// The bridge as a system: the real binaries, the official Python SDKs as clients, an
/// HTTPS upstream, `kill -9`, and what ends up in the store and the logs.
@Suite struct BridgeSystemTests {
    static var python: String { ProcessInfo.processInfo.environment["TEST_PYTHON"] ?? "deploy/.venv/bin/python" }

    /// The unmodified `openai` and `anthropic` SDKs through the real gateway and bridge,
    /// streaming and not, tool calls and their results; then what the query API shows.
    @Test func officialSDKsThroughTheGatewayAreRecorded() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.python), "run deploy/test, which provisions \(Self.python)")
        let system = try await BridgeSystem.start(withGateway: true)
        defer { system.terminate() }
        let key = try await system.createUser("sdk-user", roles: ["user"])
        let gatewayPort = try #require(system.gatewayPort)
        let gateway = "http://127.0.0.1:\(gatewayPort)"
        let run = try await TestSupport.run(URL(fileURLWithPath: Self.python), arguments: [
            TLSTestServer.repositoryRoot.appendingPathComponent("deploy/checks/llm_sdk_check.py").path,
            "--openai-base", gateway + "/api/v2/aibridge/openai/v1", "--anthropic-base", gateway + "/api/v2/aibridge/anthropic",
            "--key", key, "--session", "sdk-session-1"], includingStandardError: true)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("ALL OK"), "\(run.output)")
        let reported = run.output.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        let callIDs = Set(reported.compactMap { $0["call_id"] as? String })
        #expect(callIDs.count == 3)

        // The user sees their own calls: 5 OpenAI (the model list is not recorded), 4 per Anthropic client.
        let listing = try await system.client.execute(HTTPClientRequest(url: gateway + "/api/v2/aibridge/interceptions?limit=100",
                                                                        headers: ["Authorization": "Bearer \(key)"]))
        let body = try JSONSerialization.jsonObject(with: Data(try await listing.body.collect(upTo: 1 << 24))) as? [String: Any]
        let results = body?["results"] as? [[String: Any]] ?? []
        #expect(body?["count"] as? Int == 13, "\(String(describing: body))")
        #expect(results.filter { $0["provider"] as? String == "openai" }.count == 5)
        #expect(results.filter { $0["provider"] as? String == "anthropic" }.count == 8)
        #expect(results.allSatisfy { ($0["token_usages"] as? [Any])?.count == 1 && $0["ended_at"] is String })
        // coder's tool usage has no call id field; the call ids' use shows in the threads below.
        let toolUsages = results.flatMap { $0["tool_usages"] as? [[String: Any]] ?? [] }
        #expect(toolUsages.count == callIDs.count)
        #expect(toolUsages.allSatisfy { $0["tool"] as? String == "get_weather" && ($0["input"] as? String)?.contains("Paris") == true })
        let prompts = results.flatMap { ($0["user_prompts"] as? [[String: Any]] ?? []).compactMap { $0["prompt"] as? String } }
        #expect(prompts.contains("hello, sdk") && prompts.contains("stream, claude sdk"))
        #expect(results.allSatisfy { ($0["initiator"] as? [String: Any])?["username"] as? String == "sdk-user" })

        // One client session; the three follow-ups continue their tool call's thread.
        let sessions = try await system.client.execute(HTTPClientRequest(url: gateway + "/api/v2/aibridge/sessions",
                                                                         headers: ["x-api-key": key]))
        let sessionBody = try JSONSerialization.jsonObject(with: Data(try await sessions.body.collect(upTo: 1 << 24))) as? [String: Any]
        let session = try #require((sessionBody?["sessions"] as? [[String: Any]])?.first, "\(String(describing: sessionBody))")
        #expect(session["id"] as? String == "sdk-session-1")
        #expect(session["threads"] as? Int == 10)
        #expect(session["providers"] as? [String] == ["anthropic", "openai"])
        await system.stop()
    }

    /// `kill -9` while calls stream through the bridge: every call whose answer a client
    /// received whole is recorded, ended, with its usage, once the bridge is back.
    @Test func killDashNineLosesNoCompletedCall() async throws {
        let system = try await BridgeSystem.start(withGateway: false)
        defer { system.terminate() }
        let completed = CompletedCalls()
        let headers = system.internalHeaders(userID: "u-kill", name: "kill", roles: "user")
        let bodies = [
            ("/api/v2/aibridge/openai/v1/chat/completions", #"{"model":"slow","stream":true,"messages":[{"role":"user","content":"k"}]}"#),
            ("/api/v2/aibridge/anthropic/v1/messages", #"{"model":"slow","max_tokens":9,"stream":true,"messages":[{"role":"user","content":"k"}]}"#),
            ("/api/v2/aibridge/openai/v1/chat/completions", #"{"model":"slow","messages":[{"role":"user","content":"k"}]}"#),
            ("/api/v2/aibridge/openai/v1/completions", #"{"model":"slow","prompt":"k","stream":true}"#),
        ]
        let workers = (0..<8).map { worker in
            Task {
                var round = 0
                while !Task.isCancelled {
                    let (path, body) = bodies[(worker + round) % bodies.count]
                    round += 1
                    guard let r = try? await system.callBridge(.POST, path, headers: headers, body: body) else { return }
                    guard r.status == 200, let id = Self.responseID(r.text) else { return }
                    completed.add(id)
                }
            }
        }
        let enough = await eventually { completed.all.count >= 40 }
        try #require(enough)
        await system.killBridge()
        for worker in workers { await worker.value }
        let received = Set(completed.all)
        try await system.restartBridge()
        let (count, results) = try await system.allInterceptions()
        #expect(count == results.count)
        var usageByResponse: [String: [String: Any]] = [:]
        for interception in results {
            #expect(interception["ended_at"] is String)
            for usage in interception["token_usages"] as? [[String: Any]] ?? [] {
                if let id = usage["provider_response_id"] as? String { usageByResponse[id] = usage }
            }
        }
        let missing = received.filter { usageByResponse[$0] == nil }
        #expect(missing.isEmpty, "\(missing.count) of \(received.count) completed calls not recorded: \(missing.sorted().prefix(5))")
        #expect(received.allSatisfy { (usageByResponse[$0]?["output_tokens"] as? Int ?? 0) > 0 })
        await system.stop()
    }

    /// The response id of a whole answer, streamed (the first event's `id` or
    /// `message.id`) or not; nil when the answer is not complete.
    static func responseID(_ text: String) -> String? {
        if text.hasPrefix("{") {
            return ((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any])?["id"] as? String
        }
        var parser = SSEParser()
        let events = parser.feed(Array(text.utf8))
        guard let last = events.last, last.data == "[DONE]" || last.data.contains("message_stop"),
              let first = events.first,
              let object = (try? JSONSerialization.jsonObject(with: Data(first.data.utf8))) as? [String: Any] else { return nil }
        return object["id"] as? String ?? (object["message"] as? [String: Any])?["id"] as? String
    }

    /// Upstream keys (the configured ones and a caller's) appear in neither the bridge's log
    /// (at debug level) nor anything under its data directory.
    @Test func upstreamKeysAreNeverStoredOrLogged() async throws {
        let system = try await BridgeSystem.start(withGateway: false)
        defer { system.terminate() }
        let callerKey = "sk-caller-secret-71b2"
        var headers = system.internalHeaders(userID: "u-keys", name: "keys", roles: "user")
        let plain = try await system.callBridge(.POST, "/api/v2/aibridge/openai/v1/chat/completions", headers: headers,
                                                body: #"{"model":"m","messages":[{"role":"user","content":"x"}]}"#)
        #expect(plain.status == 200)
        headers.set("X-Internal-Upstream-Base-URL", system.upstream.anthropicBaseURL)
        headers.set("X-Internal-Upstream-Key", callerKey)
        let custom = try await system.callBridge(.POST, "/api/v2/aibridge/anthropic/v1/messages", headers: headers,
                                                 body: #"{"model":"m","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"x"}]}"#)
        #expect(custom.status == 200)
        let refused = try await system.callBridge(.POST, "/api/v2/aibridge/openai/v1/chat/completions", headers: headers,
                                                  body: #"{"model":"error","messages":[{"role":"user","content":"x"}]}"#)
        #expect(refused.status == 429)
        let seen = try await system.upstream.requests()
        #expect(seen.last?.header("x-api-key") == callerKey || seen.contains { $0.header("x-api-key") == callerKey })
        await system.stop(keepData: true)
        defer { try? FileManager.default.removeItem(at: system.dataRoot) }
        let log = try String(contentsOf: system.bridgeLog, encoding: .utf8)
        #expect(!log.isEmpty)
        var files = [system.bridgeLog.path]
        let data = system.dataRoot.appendingPathComponent("aibridge-query")
        for file in FileManager.default.subpaths(atPath: data.path) ?? [] {
            files.append(data.appendingPathComponent(file).path)
        }
        #expect(files.count > 1)
        for file in files {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data()
            for secret in [callerKey, BridgeSystem.configuredOpenAIKey, BridgeSystem.configuredAnthropicKey] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) found in \(file)")
            }
        }
    }

    /// An HTTPS upstream whose CA the bridge trusts through `SSL_CERT_FILE`.
    @Test func httpsUpstreamTrustedThroughSSLCertFile() async throws {
        let certificates = try await TestCertificates.make()
        let upstream = try await LLMUpstreamPeer.start(tls: certificates.trusted, caFile: certificates.caFile)
        let system = try await BridgeSystem.start(withGateway: false, upstream: upstream, bridgeEnv: ["SSL_CERT_FILE": certificates.caFile])
        defer { system.terminate() }
        let headers = system.internalHeaders(userID: "u-tls", name: "tls", roles: "user")
        let streamed = try await system.callBridge(.POST, "/api/v2/aibridge/openai/v1/chat/completions", headers: headers,
                                                   body: #"{"model":"m","stream":true,"messages":[{"role":"user","content":"x"}]}"#)
        #expect(streamed.status == 200, "\(streamed.text)")
        #expect(streamed.text.hasSuffix("data: [DONE]\n\n"))
        let whole = try await system.callBridge(.POST, "/api/v2/aibridge/anthropic/v1/messages", headers: headers,
                                                body: #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}]}"#)
        #expect(whole.status == 200, "\(whole.text)")
        #expect(try await system.allInterceptions().count == 2)
        await system.stop()
    }

    /// The predictor's `llm` model through the bridge by default (LLM_MODEL set, no
    /// LLM_BASE_URL): its completion is recorded under the user who asked for the prediction.
    @Test func predictorCompletionsAreRecordedUnderTheUser() async throws {
        let upstream = try await LLMUpstreamPeer.start()
        defer { upstream.stop() }
        let system = try SystemHarness()
        try await system.startAll(extraEnvironment: [
            "LLM_MODEL": "coder-test", "LLM_TIMEOUT_MS": "120000",
            "AIBRIDGE_OPENAI_BASE_URL": upstream.openAIBaseURL, "AIBRIDGE_ANTHROPIC_BASE_URL": upstream.anthropicBaseURL,
        ])
        defer { system.terminateAll() }
        let key = try await system.createUser("predicting", roles: ["user"])
        let predict = try await SimpleHTTP.request("POST", port: system.gatewayPort, path: "/predict",
                                                   headers: ["API-Key": key, "Content-Type": "application/x-www-form-urlencoded"],
                                                   body: "model=llm&current_file=" + "y = calc<cursor>\n".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
        #expect(predict.status == 200, "\(predict.body)")
        #expect(predict.body.contains("calc_answer(x)"), "\(predict.body)")
        let listing = try await SimpleHTTP.get(port: system.gatewayPort, path: "/api/v2/aibridge/interceptions", headers: ["API-Key": key])
        let body = (try? JSONSerialization.jsonObject(with: Data(listing.body.utf8))) as? [String: Any]
        let results = body?["results"] as? [[String: Any]] ?? []
        #expect(results.count == 1, "\(listing.body)")
        let interception = try #require(results.first)
        #expect(interception["model"] as? String == "coder-test")
        #expect(interception["provider"] as? String == "openai")
        #expect(interception["client"] as? String == "predictor")
        #expect((interception["initiator"] as? [String: Any])?["username"] as? String == "predicting")
        #expect((interception["user_prompts"] as? [[String: Any]])?.first?["prompt"] as? String == "y = calc")
        _ = await system.stopAll()
    }
}
