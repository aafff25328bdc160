import Foundation
import HTTPCore
import JSON
import LLMWire
import Synchronization

/// A local OpenAI-compatible chat-completions server standing where aibridge-query's bridge
/// is (`POST /api/v2/aibridge/openai/v1/chat/completions`, and `/v1/chat/completions`),
/// speaking OpenAI's wire format: a `chat.completion` object with one choice, or an error
/// `{"error": {"message", "type", "code"}}` with its status. What it answers comes from a
/// script: one `Reply` per call in order, the last repeated. Every request is recorded
/// with its headers and decoded body.
public final class FakeLLMBridge: Sendable {
    /// One scripted answer.
    public enum Reply: Sendable {
        /// 200 with this assistant text.
        case content(String)
        /// An error status with OpenAI's error body (and a `Retry-After` when given).
        case error(status: Int, message: String, retryAfter: Int? = nil)
        /// 200 with a body that is not a chat completion.
        case garbage(String)
    }

    /// One call as received.
    public struct Call: Sendable {
        public var path: String
        public var headers: HTTPHeaders
        public var request: ChatCompletionRequest?
    }

    /// The script and the calls, shared with the server's handler.
    final class Backend: Sendable {
        let state = Mutex<(script: [Reply], calls: [Call])>(([], []))
    }
    private let backend: Backend
    /// The server.
    public let server: HTTPServer
    /// The base URL (`AIBRIDGE_URL`).
    public var url: String { "http://127.0.0.1:\(server.port)" }

    /// Starts a fake answering `script` (one reply per call, the last repeated).
    public init(script: [Reply] = [.content("[]")]) throws {
        let backend = Backend()
        backend.state.withLock { $0.script = script }
        self.backend = backend
        server = HTTPServer(configuration: HTTPServerConfiguration.testing()) { request in
            if request.path == "/health" {  // a gateway pointed here checks it
                return HTTPResponse(status: .ok, contentType: "application/json", body: Array(#"{"status":"healthy"}"#.utf8))
            }
            guard request.method == .POST, request.path.hasSuffix("/chat/completions") else {
                return Self.error(404, "Unknown request URL: \(request.method) \(request.path)")
            }
            let body = (try? await request.body.collect(upTo: 64 * 1024 * 1024)) ?? []
            let decoded = try? StrictJSONDecoder().decode(ChatCompletionRequest.self, from: body)
            let reply = backend.state.withLock { s -> Reply in
                s.calls.append(Call(path: request.path, headers: request.headers, request: decoded))
                return s.script.count > 1 ? s.script.removeFirst() : (s.script.first ?? .content("[]"))
            }
            guard let decoded else { return Self.error(400, "We could not parse the JSON body of your request.") }
            switch reply {
            case .content(let text):
                let response = ChatCompletionResponse(id: "chatcmpl-\(UUID().uuidString.prefix(8))", model: decoded.model,
                                                      choices: [.init(index: 0, message: .init(content: text), finishReason: "stop")],
                                                      usage: nil)
                let bytes = (try? JSONWriter.encode(response)) ?? []
                return HTTPResponse(status: .ok, contentType: "application/json", body: bytes)
            case .error(let status, let message, let retryAfter):
                var response = Self.error(status, message)
                if let retryAfter { response.headers.set("Retry-After", String(retryAfter)) }
                return response
            case .garbage(let text):
                return HTTPResponse(status: .ok, contentType: "application/json", body: Array(text.utf8))
            }
        }
        try server.start()
    }

    /// Replaces the script.
    public func setScript(_ script: [Reply]) { backend.state.withLock { $0.script = script } }

    /// Every call so far.
    public var calls: [Call] { backend.state.withLock { $0.calls } }

    /// Stops the server.
    public func stop() async { await server.shutdown(gracePeriod: .milliseconds(100)) }

    static func error(_ status: Int, _ message: String) -> HTTPResponse {
        let body = OpenAIErrorBody(error: .init(message: message, type: status == 429 ? "rate_limit_exceeded" : "invalid_request_error",
                                                code: status == 401 ? "invalid_api_key" : nil))
        return HTTPResponse(status: HTTPStatus(status), contentType: "application/json", body: (try? JSONWriter.encode(body)) ?? [])
    }

    /// A JSON array of `count` distinct items as a model would write it (in a code fence).
    public static func items(_ count: Int, topic: String = "topic", start: Int = 0) -> String {
        let items: [JSONValue] = (start..<(start + count)).map { index in
            .object(["instruction": .string("Question \(index) about \(topic): explain aspect number \(index) in detail \(String(repeating: "xyz", count: index % 5))"),
                     "input": .string(index % 2 == 0 ? "" : "context \(index)"),
                     "output": .string("Answer \(index): " + Self.distinctText(index))])
        }
        return "```json\n" + JSONValue.array(items).serializedText + "\n```"
    }

    /// A sentence that differs a lot from index to index.
    static func distinctText(_ index: Int) -> String {
        let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima",
                     "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango", "uniform", "victor"]
        var generator = SplitMix(seed: UInt64(index + 1))
        return (0..<30).map { _ in words[Int(generator.next() % UInt64(words.count))] }.joined(separator: " ")
    }

    /// A small deterministic generator for the fake's texts.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
