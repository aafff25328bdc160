import Foundation
import HTTPCore
import JSON
import LLMWire
import ServiceKit

/// OpenAI chat completions through aibridge-query's bridge
/// (`<AIBRIDGE_URL>/api/v2/aibridge/openai/v1/chat/completions`), so every call is recorded
/// under the caller. Retries 429, 5xx and transport failures with exponential back-off
/// (`Retry-After` honoured up to 30 s); any other refusal ends the call at once.
struct BridgeChatClient: Sendable {
    /// The pooled client.
    let client: HTTPClient
    /// The bridge's chat-completions URL.
    let url: String
    /// Timeout of one try.
    let timeout: Duration
    /// Tries, the first included.
    let attempts: Int
    /// The first back-off (doubles each retry).
    let retryBase: Duration

    /// The path under `AIBRIDGE_URL`.
    static let path = "/api/v2/aibridge/openai/v1/chat/completions"
    /// Longest `Retry-After` honoured.
    static let maxRetryAfter = Duration.seconds(30)

    /// A failed call: what the upstream (or the way to it) said.
    struct Failure: Error, CustomStringConvertible {
        /// The reason, for the 502's detail.
        var description: String
    }

    /// The assistant's text for `request`, sent with `headers` (identity, internal token,
    /// upstream settings, session id).
    func complete(_ request: ChatCompletionRequest, headers: HTTPHeaders) async throws -> String {
        let body = try JSONWriter.encode(request)
        var lastFailure = Failure(description: "no attempt made")
        for attempt in 1...attempts {
            var wait: Duration? = nil
            do {
                let response = try await client.execute(HTTPClientRequest(method: .POST, url: url, headers: headers, body: .bytes(body)),
                                                        timeout: timeout)
                let bytes = try await response.body.collect(upTo: 32 * 1024 * 1024)
                let status = response.status.code
                if (200..<300).contains(status) {
                    do {
                        let completion = try StrictJSONDecoder().decode(ChatCompletionResponse.self, from: bytes)
                        return completion.choices.first?.message.content ?? ""
                    } catch {
                        throw Failure(description: "the upstream's answer is not a chat completion: \(StrictJSONDecoder.message(for: error))")
                    }
                }
                lastFailure = Failure(description: "upstream answered \(status): \(Self.reason(bytes))")
                guard status == 429 || status >= 500 else { throw lastFailure }
                wait = response.headers["Retry-After"].flatMap { Int($0.trimmedOfSpaces) }.map { min(.seconds($0), Self.maxRetryAfter) }
            } catch let failure as Failure {
                throw failure
            } catch let error as HTTPClientError {
                lastFailure = Failure(description: "the LLM bridge is unreachable: \(error.description)")
            } catch is BodyTooLargeError {
                throw Failure(description: "the upstream's answer is larger than 32 MiB")
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                lastFailure = Failure(description: "the LLM bridge connection failed: \(error)")
            }
            if attempt < attempts {
                try await Task.sleep(for: wait ?? retryBase * (1 << (attempt - 1)))
            }
        }
        throw Failure(description: lastFailure.description + " (after \(attempts) tries)")
    }

    /// The upstream's message: OpenAI's `{"error": {"message"}}`, the bridge's `{"message"}`
    /// or `{"detail"}`, else the start of the body.
    static func reason(_ body: [UInt8]) -> String {
        if let error = try? StrictJSONDecoder().decode(OpenAIErrorBody.self, from: body) { return error.error.message }
        if let value = try? JSONParser().parse(body), case .object(let object) = value {
            for key in ["message", "detail", "error"] { if case .string(let text)? = object[key] { return text } }
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        return text.isEmpty ? "(empty body)" : text
    }
}
