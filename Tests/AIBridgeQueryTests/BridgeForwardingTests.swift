@testable import AIBridgeQuery
import Contracts
import Foundation
import HTTPCore
import Testing
import TestSupport

/// What goes upstream (paths, query strings, auth, headers), what comes back, and the
/// routes that are not recorded.
@Suite struct BridgeForwardingTests {
    @Test func pathsQueriesAndHeadersGoUpstreamAsTheSpecSays() async throws {
        let bridge = try await BridgeHarness.start()
        let r = try await bridge.call(chatPath + "?api-version=2024-10-21&x=a%20b",
                                      json: #"{"model":"m","messages":[{"role":"user","content":"x"}]}"#,
                                      headers: ["User-Agent": "zed/0.200", "Cookie": "c=1", "X-Internal-Upstream-Other": "x",
                                                "Accept-Encoding": "gzip", "OpenAI-Organization": "org-1"])
        #expect(r.status == 200)
        // The upstream's own header fields come back (the request id is the bridge's own).
        #expect(r.headers["x-upstream-processing-ms"] == "1")
        let sent = try #require(try await bridge.upstream.requests().first)
        #expect(sent.method == "POST")
        #expect(sent.path == "/v1/chat/completions?api-version=2024-10-21&x=a%20b")
        #expect(sent.values("authorization") == ["Bearer \(openAIKey)"])
        #expect(sent.header("user-agent") == "zed/0.200")
        #expect(sent.header("content-type") == "application/json")
        #expect(sent.header("accept-encoding") == "identity")
        // Nothing of the caller's identity, the internal token or other fields goes upstream.
        for name in ["x-internal-token", "x-user-id", "x-user-name", "x-user-roles", "cookie", "x-internal-upstream-other",
                     "openai-organization", "x-api-key", "anthropic-version"] {
            #expect(sent.header(name) == nil, "\(name)")
        }
        #expect(await bridge.recorder.only?.0.client == "Zed")
        await bridge.stop()
    }

    @Test func modelListsPassThroughUnrecorded() async throws {
        let bridge = try await BridgeHarness.start()
        let openAI = try await bridge.call("/api/v2/aibridge/openai/v1/models", method: .GET)
        #expect(openAI.status == 200)
        #expect(openAI.text.contains("gpt-test"))
        let anthropic = try await bridge.call("/api/v2/aibridge/anthropic/v1/models?limit=5", method: .GET, headers: ["anthropic-version": "2023-06-01"])
        #expect(anthropic.status == 200)
        #expect(anthropic.text.contains("claude-test"))
        let sent = try await bridge.upstream.requests()
        #expect(sent.map(\.path) == ["/v1/models", "/v1/models?limit=5"])
        #expect(sent.first?.header("authorization") == "Bearer \(openAIKey)")
        #expect(sent.last?.header("x-api-key") == anthropicKey)
        #expect(await bridge.recorder.started.isEmpty)
        await bridge.stop()
    }

    /// Anything else under a provider path is 404 in coder's envelope, and never forwarded.
    @Test func otherProviderPathsAre404() async throws {
        let bridge = try await BridgeHarness.start()
        for (method, path) in [(HTTPMethod.POST, "/api/v2/aibridge/openai/v1/responses"), (.POST, "/api/v2/aibridge/openai/v1/embeddings"),
                               (.GET, "/api/v2/aibridge/openai/v1/files"), (.POST, "/api/v2/aibridge/anthropic/v1/complete"),
                               (.GET, "/api/v2/aibridge/anthropic/v2/messages"), (.GET, "/api/v2/aibridge/openai/v1/models/../files"),
                               (.GET, "/api/v2/aibridge/openai/v1/models/%2e%2e/files"), (.GET, "/api/v2/aibridge/gemini/v1/models")] {
            let r = try await bridge.call(path, method: method, json: "{}")
            #expect(r.status == 404, "\(method) \(path)")
            #expect(jsonObject(r.text)["message"] is String, "\(r.text)")
        }
        #expect(try await bridge.upstream.requests().isEmpty)
        #expect(await bridge.recorder.started.isEmpty)
        await bridge.stop()
    }

    @Test func clientMistakesAre400WithNothingRecorded() async throws {
        let bridge = try await BridgeHarness.start()
        for body in ["", "not json", "[1,2]", #"{"messages":[]}"#, #"{"model":""}"#, #"{"model":"a","model":"b"}"#] {
            let r = try await bridge.call(chatPath, json: body)
            #expect(r.status == 400, "\(body)")
            #expect(jsonObject(r.text)["message"] as? String == "Invalid request body.", "\(r.text)")
        }
        let anonymous = try await bridge.call(chatPath, json: #"{"model":"m"}"#, as: nil)
        #expect(anonymous.status == 401)
        #expect(await bridge.recorder.started.isEmpty)
        #expect(try await bridge.upstream.requests().isEmpty)
        await bridge.stop()
    }

    /// `X-Internal-Upstream-Base-URL` / `-Key` (only a caller with the internal token reaches
    /// the bridge): the caller's upstream gets the caller's key, never the configured one;
    /// the key is not recorded.
    @Test func callerSuppliedUpstreamAndKey() async throws {
        let other = try await LLMUpstreamPeer.start()
        let bridge = try await BridgeHarness.start()
        let body = #"{"model":"m","messages":[{"role":"user","content":"x"}]}"#
        let withBoth = try await bridge.call(chatPath, json: body, headers: [UpstreamOverride.baseURLHeader: other.openAIBaseURL,
                                                                             UpstreamOverride.keyHeader: "sk-caller-secret"])
        #expect(withBoth.status == 200)
        let baseOnly = try await bridge.call(messagesPath, json: #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}]}"#,
                                             headers: [UpstreamOverride.baseURLHeader: other.anthropicBaseURL])
        #expect(baseOnly.status == 200)
        let keyOnly = try await bridge.call(chatPath, json: body, headers: [UpstreamOverride.keyHeader: "sk-caller-2"])
        #expect(keyOnly.status == 200)
        let atOther = try await other.requests()
        #expect(atOther.count == 2)
        #expect(atOther.first?.header("authorization") == "Bearer sk-caller-secret")
        #expect(atOther.last?.path == "/v1/messages")
        #expect(atOther.last?.header("x-api-key") == nil)
        #expect(atOther.allSatisfy { $0.header(UpstreamOverride.keyHeader) == nil && $0.header(UpstreamOverride.baseURLHeader) == nil })
        let atConfigured = try await bridge.upstream.requests()
        #expect(atConfigured.count == 1)
        #expect(atConfigured.first?.header("authorization") == "Bearer sk-caller-2")
        let bad = try await bridge.call(chatPath, json: body, headers: [UpstreamOverride.baseURLHeader: "file:///etc/passwd"])
        #expect(bad.status == 400)
        #expect(await bridge.recorder.started.count == 3)
        #expect(!"\(await bridge.recorder.started)".contains("sk-caller"))
        #expect(!"\(await bridge.recorder.outcomes)".contains("sk-caller"))
        other.stop()
        await bridge.stop()
    }

    /// An unreachable upstream: 502 in coder's envelope (no address, no key), and the
    /// interception is ended.
    @Test func unreachableUpstreamIs502AndEnded() async throws {
        let refusing = TestSupport.RefusingPort()
        let bridge = try await BridgeHarness.start(openAIBaseURL: "http://127.0.0.1:\(refusing.port)/v1")
        let r = try await bridge.call(chatPath, json: #"{"model":"m","messages":[{"role":"user","content":"x"}]}"#)
        #expect(r.status == 502)
        #expect(jsonObject(r.text)["message"] as? String == "The upstream is unreachable.")
        #expect(!r.text.contains(openAIKey))
        let (_, outcome) = try #require(await bridge.recorder.only)
        #expect(outcome != nil)
        #expect(outcome?.tokenUsages.isEmpty == true)
        await bridge.stop()
    }

    /// An HTTPS upstream (a local CA the bridge's client trusts), streamed and not.
    @Test func tlsUpstream() async throws {
        let certificates = try await TestCertificates.make()
        let bridge = try await BridgeHarness.start(tls: certificates.trusted, caFile: certificates.caFile)
        #expect(bridge.upstream.openAIBaseURL.hasPrefix("https://"))
        let whole = try await bridge.call(messagesPath, json: #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}]}"#)
        #expect(whole.status == 200, "\(whole.text)")
        let streamed = try await bridge.call(chatPath, json: #"{"model":"m","stream":true,"messages":[{"role":"user","content":"x"}]}"#)
        #expect(eventData(streamed.body).last == "[DONE]")
        #expect(await bridge.recorder.outcomes.values.filter { $0.tokenUsages.count == 1 }.count == 2)
        await bridge.stop()
    }
}
