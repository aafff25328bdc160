import AuthGateway
import Contracts
import Foundation
import HTTPCore
import ServiceKit
import Testing
import TestSupport

/// What the LLM SDKs send: the OpenAI SDK and Codex `Authorization: Bearer`, Claude Code and
/// older Anthropic SDKs `x-api-key` — our API key or a session id in either, stripped before
/// forwarding; and no client-sent `X-Internal-*` header ever reaches a service.
@Suite struct SDKCredentialTests {
    func setup() async throws -> (TestGateway, RecordingTransport, String) {
        let transport = RecordingTransport()
        let gateway = try await TestGateway.make(transport: transport)
        let key = try await gateway.user("carol")
        return (gateway, transport, key)
    }

    @Test func keyOrSessionInEitherHeader() async throws {
        let (gateway, transport, key) = try await setup()
        let session = await gateway.session(key)
        let path = "/api/v2/aibridge/anthropic/v1/messages"
        let forms: [(String, HTTPHeaders)] = [
            ("x-api-key key", ["x-api-key": key]),
            ("x-api-key session", ["x-api-key": session]),
            ("X-Api-Key key", ["X-Api-Key": key]),
            ("Bearer key", ["Authorization": "Bearer \(key)"]),
            ("Bearer session", ["Authorization": "Bearer \(session)"]),
        ]
        for (name, headers) in forms {
            let r = await gateway.app.call(.POST, path, headers: headers, body: Array("{}".utf8))
            #expect(r.status == 200, "\(name): \(r.text)")
        }
        #expect(transport.requests.count == forms.count)
        for (request, upstream) in transport.requests {
            #expect(upstream.name == "aibridge-query")
            #expect(request.headers[IdentityHeaders.userName] == "carol")
            #expect(request.headers["x-api-key"] == nil)
            #expect(request.headers["Authorization"] == nil)
        }
        await gateway.close()
    }

    @Test func badKeysInXAPIKeyAreRefused() async throws {
        let (gateway, transport, _) = try await setup()
        for value in ["cbk_not-a-key", Secrets.newSessionID(), "anything"] {
            let r = await gateway.app.call(.POST, "/api/v2/aibridge/anthropic/v1/messages", headers: ["x-api-key": value])
            #expect(r.status == 403, "\(value)")
        }
        #expect(transport.requests.isEmpty)
        await gateway.close()
    }

    @Test func clientSentInternalHeadersAreDropped() async throws {
        let (gateway, transport, key) = try await setup()
        let r = await gateway.app.call(.POST, "/api/v2/aibridge/openai/v1/chat/completions", headers: HTTPHeaders([
            ("Authorization", "Bearer \(key)"), ("X-Internal-Upstream-Base-URL", "http://attacker.example/v1"),
            ("x-internal-upstream-key", "sk-stolen"), ("X-INTERNAL-ANYTHING", "1"), ("X-Internal-", "empty suffix"),
            ("X-Internals", "kept: not the prefix"), ("X-Intern", "kept"),
        ]), body: Array("{}".utf8))
        #expect(r.status == 200)
        let (request, _) = try #require(transport.requests.first)
        let internalFields = request.headers.fields.filter { $0.name.lowercased().hasPrefix("x-internal-") }
        // Only the gateway's own internal token remains.
        #expect(internalFields.map(\.name) == [IdentityHeaders.internalToken])
        #expect(request.headers[IdentityHeaders.internalToken] == "test-internal-token")
        #expect(request.headers["X-Internals"] == "kept: not the prefix")
        #expect(request.headers["X-Intern"] == "kept")
        await gateway.close()
    }
}
