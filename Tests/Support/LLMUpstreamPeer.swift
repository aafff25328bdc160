import Foundation
import HTTPCore

/// The local LLM upstream (`deploy/checks/llm_upstream.py`: OpenAI chat and completions,
/// Anthropic messages, streamed and not, tool calls, fixed usage) on loopback, plain HTTP or
/// HTTPS. It exits when stopped or when the test process goes away (it serves until its
/// standard input closes).
public final class LLMUpstreamPeer: Sendable {
    /// The port it listens on.
    public let port: Int
    /// Whether it speaks HTTPS.
    public let isTLS: Bool
    private let peer: PythonPeer
    private let client: HTTPClient

    /// One request the upstream received.
    public struct Seen: Sendable, Decodable {
        /// The method.
        public let method: String
        /// The target: path and query.
        public let path: String
        /// The header fields, names lower-cased, in order.
        public let headers: [[String]]
        /// The body as text.
        public let body: String

        /// Every value of the header `name` (any case).
        public func values(_ name: String) -> [String] {
            headers.filter { $0.first == name.lowercased() }.compactMap { $0.count > 1 ? $0[1] : nil }
        }

        /// The first value of the header `name`.
        public func header(_ name: String) -> String? { values(name).first }

        /// The body as a JSON object.
        public var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        }
    }

    private init(peer: PythonPeer, port: Int, isTLS: Bool, client: HTTPClient) {
        self.peer = peer
        self.port = port
        self.isTLS = isTLS
        self.client = client
    }

    /// `http(s)://127.0.0.1:<port>`.
    public var origin: String { "\(isTLS ? "https" : "http")://127.0.0.1:\(port)" }
    /// The base URL for `AIBRIDGE_OPENAI_BASE_URL` (`<origin>/v1`).
    public var openAIBaseURL: String { origin + "/v1" }
    /// The base URL for `AIBRIDGE_ANTHROPIC_BASE_URL` (the origin).
    public var anthropicBaseURL: String { origin }

    /// Starts the peer (HTTPS with `tls`, trusted through `caFile`) and waits until it listens.
    public static func start(tls: TestCertificates.Pair? = nil, caFile: String? = nil) async throws -> LLMUpstreamPeer {
        var arguments: [String] = []
        if let tls { arguments += ["--cert", tls.certificate, "--key", tls.key] }
        let peer = try await PythonPeer.start(script: "llm_upstream.py", arguments: arguments)
        var configuration = HTTPClientConfiguration.testing()
        configuration.tls.additionalCAFile = caFile
        return LLMUpstreamPeer(peer: peer, port: peer.port, isTLS: tls != nil, client: HTTPClient(configuration: configuration))
    }

    /// Every request received so far (not the peer's own `/_…` routes).
    public func requests() async throws -> [Seen] {
        let response = try await client.get(origin + "/_requests")
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return try JSONDecoder().decode([Seen].self, from: Data(bytes)).filter { !$0.path.hasPrefix("/_") }
    }

    /// Forgets the requests received so far.
    public func reset() async throws {
        _ = try await client.post(origin + "/_reset", body: []).body.collect(upTo: 1 << 16)
    }

    /// Lets a `gated` stream send its next event.
    public func release() async throws {
        _ = try await client.post(origin + "/_release", body: []).body.collect(upTo: 1 << 16)
    }

    /// Stops the peer (without waiting for it to exit).
    public func stop() {
        peer.stop()
        let client = self.client
        Task { await client.shutdown() }
    }

    deinit { if peer.process.exitStatus == nil { stop() } }
}
