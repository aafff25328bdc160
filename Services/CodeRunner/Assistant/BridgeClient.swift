import Contracts
import Foundation
import HTTPCore
import LLMWire
import ServiceKit

/// Chat completions through aibridge-query's OpenAI bridge
/// (`<AIBRIDGE_URL>/api/v2/aibridge/openai/v1/chat/completions`), sent with the internal
/// token and the caller's identity, and an `X-AIBridge-Session-Id` that groups every call
/// of one edit or fix request into one bridge session.
struct BridgeClient: Sendable {
    /// The bridge's path under `AIBRIDGE_URL`.
    static let chatPath = "/api/v2/aibridge/openai/v1/chat/completions"

    /// aibridge-query's base URL.
    let baseURL: String
    /// The model asked for.
    let model: String
    /// The internal token.
    let internalToken: String
    /// Longest wait for one answer.
    let timeout: Duration
    /// The pooled client.
    let client: HTTPClient

    /// Why a call brought no text.
    struct Failure: Error, Sendable, CustomStringConvertible {
        /// What went wrong (no secrets).
        let description: String
    }

    /// One completion's text for `messages`, or `Failure`.
    func complete(_ messages: [ChatMessage], caller: Identity, bridgeSession: String, requestID: String) async throws -> String {
        let request = ChatCompletionRequest(model: model, messages: messages, temperature: 0.2)
        var headers: HTTPHeaders = ["Content-Type": "application/json", "Accept": "application/json"]
        headers.set(IdentityHeaders.internalToken, internalToken)
        headers.set(IdentityHeaders.userID, caller.userID)
        headers.set(IdentityHeaders.userName, caller.name)
        headers.set(IdentityHeaders.roles, caller.roles.joined(separator: ","))
        headers.set("X-AIBridge-Session-Id", bridgeSession)
        headers.set(requestIDHeader, requestID)
        let response: HTTPClientResponse
        let body: [UInt8]
        do {
            response = try await client.post(baseURL + Self.chatPath, body: try JSON.encode(request), headers: headers, timeout: timeout)
            body = try await response.body.collect(upTo: 8 * 1024 * 1024)
        } catch {
            throw Failure(description: "the LLM bridge could not be reached: \(error)")
        }
        guard (200..<300).contains(response.status.code) else {
            throw Failure(description: "the LLM bridge answered \(response.status.code)")
        }
        guard let completion = try? JSON.decode(ChatCompletionResponse.self, from: body),
              let text = completion.choices.first?.message.content, !text.isEmpty else {
            throw Failure(description: "the LLM bridge's answer had no text")
        }
        return text
    }

    /// A new bridge session id for one edit or fix request.
    static func newSession() -> String { "code-runner-" + UUID().uuidString.lowercased() }
}
