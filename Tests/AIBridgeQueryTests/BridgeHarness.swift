@testable import AIBridgeQuery
import Contracts
import Foundation
import HTTPCore
import ServiceKit
import Synchronization
import TestSupport

let bridgeCaller = Identity(userID: "u-alice", name: "alice", roles: ["user"])
let openAIKey = "sk-openai-configured"
let anthropicKey = "sk-ant-configured"

/// The bridge's routes in an application served on a loopback port, recording into a
/// `MemoryRecorder`, in front of the local LLM upstream (`LLMUpstreamPeer`).
struct BridgeHarness {
    let upstream: LLMUpstreamPeer
    let recorder: MemoryRecorder
    let bridge: LLMBridge
    let server: HTTPServer
    /// The bridge's metrics.
    let metrics: Metrics
    let client = HTTPClient(configuration: .testing())
    static let token = "test-internal-token"

    /// A harness over a new upstream (HTTPS with `tls`, the bridge trusting `caFile`), or over
    /// `upstream` when given.
    static func start(upstream given: LLMUpstreamPeer? = nil, tls: TestCertificates.Pair? = nil, caFile: String? = nil,
                      openAIBaseURL: String? = nil) async throws -> BridgeHarness {
        let upstream: LLMUpstreamPeer
        if let given { upstream = given } else { upstream = try await LLMUpstreamPeer.start(tls: tls, caFile: caFile) }
        var options = AIBridgeQueryOptions(dataDirectory: FileManager.default.temporaryDirectory)
        options.openAIBaseURL = openAIBaseURL ?? upstream.openAIBaseURL
        options.openAIKey = openAIKey
        options.anthropicBaseURL = upstream.anthropicBaseURL
        options.anthropicKey = anthropicKey
        var configuration = LLMBridge.clientConfiguration(options)
        configuration.connectTimeout = .seconds(120)
        configuration.tls.additionalCAFile = caFile
        let recorder = MemoryRecorder()
        let metrics = Metrics()
        let bridge = LLMBridge(options: options, recorder: recorder, logger: Logger(service: "test", level: .error),
                               metrics: metrics, client: HTTPClient(configuration: configuration))
        let router = Router()
        ProviderRoutes(bridge: bridge).register(on: router)
        let app = Application(testing: ServiceDefinition(router: router, envelope: .coder), name: "aibridge-query", internalToken: token)
        let server = HTTPServer(configuration: .testing(), responder: app)
        try server.start()
        return BridgeHarness(upstream: upstream, recorder: recorder, bridge: bridge, server: server, metrics: metrics)
    }

    /// The identity headers the gateway adds for `identity` (none for nil).
    static func gatewayHeaders(_ identity: Identity?) -> HTTPHeaders {
        guard let identity else { return HTTPHeaders() }
        return [IdentityHeaders.internalToken: token, IdentityHeaders.userID: identity.userID,
                IdentityHeaders.userName: identity.name, IdentityHeaders.roles: identity.roles.joined(separator: ",")]
    }

    /// Sends a request to the bridge as `identity`; the response with its body still streaming.
    func send(_ path: String, method: HTTPMethod = .POST, json: String? = nil, as identity: Identity? = bridgeCaller,
              headers: HTTPHeaders = HTTPHeaders()) async throws -> HTTPClientResponse {
        var all = Self.gatewayHeaders(identity)
        for (name, value) in headers { all.add(name, value) }
        if json != nil { all.set("Content-Type", "application/json") }
        return try await client.execute(HTTPClientRequest(method: method, url: "http://127.0.0.1:\(server.port)\(path)",
                                                          headers: all, body: .bytes(Array((json ?? "").utf8))))
    }

    /// `send`, with the whole body.
    func call(_ path: String, method: HTTPMethod = .POST, json: String? = nil, as identity: Identity? = bridgeCaller,
              headers: HTTPHeaders = HTTPHeaders()) async throws -> TestResponse {
        let response = try await send(path, method: method, json: json, as: identity, headers: headers)
        let body = try await response.body.collect(upTo: 64 << 20)
        return TestResponse(status: response.status.code, headers: response.headers, body: body)
    }

    /// Waits until `count` interceptions have ended.
    func waitForEnded(_ count: Int) async -> Bool {
        await eventually { await recorder.endedCount >= count }
    }

    func stop() async {
        await client.shutdown()
        await server.shutdown(gracePeriod: .milliseconds(100))
        await bridge.shutdown()
        upstream.stop()
    }
}

/// A flag shared between a test and the code it watches.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    /// Raises the flag.
    func set() { value.store(true, ordering: .releasing) }
    /// Whether it is raised.
    var isSet: Bool { value.load(ordering: .acquiring) }
}

/// The data of every event in an SSE body, in order.
func eventData(_ body: [UInt8]) -> [String] {
    var parser = SSEParser()
    return parser.feed(body).map(\.data)
}

/// A JSON text as a Foundation object.
func jsonObject(_ text: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
}

let chatPath = "/api/v2/aibridge/openai/v1/chat/completions"
let completionsPath = "/api/v2/aibridge/openai/v1/completions"
let messagesPath = "/api/v2/aibridge/anthropic/v1/messages"
