import Foundation
import HTTPCore
import Synchronization
import TestSupport

/// A local OpenAI-compatible chat server (loopback) answering from a script, one answer
/// per call in order (the last repeats), recording every request.
final class FakeChatServer: Sendable {
    /// One scripted answer: a completion's text, or an HTTP error status.
    enum Answer: Sendable {
        case text(String)
        case status(Int)
    }

    /// One request as received.
    struct Seen: Sendable {
        var path: String
        var headers: HTTPHeaders
        var model: String?
        var prompt: String
    }

    let server: HTTPServer

    init(_ script: [Answer]) throws {
        let box = Recorder()
        let answers = script
        server = HTTPServer(configuration: HTTPServerConfiguration.testing()) { request in
            let bytes = (try? await request.body.collect(upTo: 1 << 24)) ?? []
            let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
            let messages = object["messages"] as? [[String: Any]] ?? []
            let prompt = messages.compactMap { $0["content"] as? String }.joined(separator: "\n")
            let index = box.items.withLock { list -> Int in
                list.append(Seen(path: request.path, headers: request.headers, model: object["model"] as? String, prompt: prompt))
                return list.count - 1
            }
            switch answers[min(index, answers.count - 1)] {
            case .status(let code):
                return HTTPResponse(status: HTTPStatus(code), contentType: "application/json",
                                    body: Array(#"{"error":{"message":"scripted failure"}}"#.utf8))
            case .text(let text):
                let body: [String: Any] = ["id": "chatcmpl-\(index)", "object": "chat.completion", "created": 0, "model": "fake",
                                           "choices": [["index": 0, "message": ["role": "assistant", "content": text],
                                                        "finish_reason": "stop"]]]
                return HTTPResponse(status: .ok, contentType: "application/json",
                                    body: Array(try! JSONSerialization.data(withJSONObject: body)))
            }
        }
        requests = box
        try server.start()
    }

    private let requests: Recorder

    /// The requests so far.
    var received: [Seen] { requests.items.withLock { $0 } }

    /// The requests, behind a lock.
    final class Recorder: Sendable {
        let items = Mutex<[Seen]>([])
    }

    /// The base URL to give as `AIBRIDGE_URL`.
    var baseURL: String { "http://127.0.0.1:\(server.port)" }

    /// Stops listening.
    func stop() async { await server.shutdown(gracePeriod: .milliseconds(100)) }
}
