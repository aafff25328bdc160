import Contracts
import Foundation
import HTTPCore
import JSON
import LLMWire
import ServiceKit

/// The recording proxy: forwards a caller's OpenAI or Anthropic call to the provider's
/// upstream and records it as an interception (stored before forwarding, ended with its
/// token usage, user prompt and tool calls once the answer is complete, has failed, or the
/// client has gone). Knows nothing of routes: `ProviderRoutes` maps paths onto it.
public final class LLMBridge: Sendable {
    let recorder: any InterceptionRecorder
    let client: HTTPClient
    let openAI: ProviderUpstream
    let anthropic: ProviderUpstream
    let logger: Logger
    let metrics: Metrics
    /// Recorded tokens by provider and model.
    let tokens: TokenCounters
    /// The largest upstream answer read whole (a non-streamed body, an error body).
    let maxResponseBytes: Int

    /// A bridge to the upstreams of `options`, recording into `recorder`. `client` defaults
    /// to a pooled client whose read timeout is `UPSTREAM_TIMEOUT_S` (the longest silence of
    /// an upstream, so a long stream is never cut while it moves) and which speaks HTTPS,
    /// verifying against the system trust store (`SSL_CERT_FILE` / `SSL_CERT_DIR` honoured).
    public init(options: AIBridgeQueryOptions, recorder: any InterceptionRecorder, logger: Logger, metrics: Metrics = Metrics(),
                client: HTTPClient? = nil, maxResponseBytes: Int = 64 * 1024 * 1024) {
        self.recorder = recorder
        self.client = client ?? HTTPClient(configuration: Self.clientConfiguration(options))
        self.openAI = ProviderUpstream(provider: .openai, baseURL: options.openAIBaseURL, key: options.openAIKey)
        self.anthropic = ProviderUpstream(provider: .anthropic, baseURL: options.anthropicBaseURL, key: options.anthropicKey)
        self.logger = logger
        self.metrics = metrics
        self.tokens = TokenCounters(metrics: metrics)
        self.maxResponseBytes = maxResponseBytes
    }

    /// The upstream client's settings for `options`.
    static func clientConfiguration(_ options: AIBridgeQueryOptions) -> HTTPClientConfiguration {
        var configuration = HTTPClientConfiguration()
        configuration.readTimeout = options.upstreamTimeout
        configuration.maxConnectionsPerHost = 256
        return configuration
    }

    /// Closes the upstream connections (at shutdown).
    public func shutdown() async { await client.shutdown() }

    /// The configured upstream of `provider`.
    func configuredUpstream(_ provider: LLMProvider) -> ProviderUpstream {
        provider == .openai ? openAI : anthropic
    }

    // MARK: recorded calls

    /// A recorded call of `api`; `rest` is the path after the provider's `/v1/`.
    func record(_ request: Request, api: LLMAPI, rest: String) async throws -> HTTPResponse {
        let identity = try request.require()
        let upstream = try UpstreamOverride(headers: request.headers).applied(to: configuredUpstream(api.provider))
        let body = try await requestBody(request, api: api)
        guard let model = body.model, !model.isEmpty else {
            throw ServiceError.badRequest("Invalid request body.", detail: "\"model\" must be a non-empty string")
        }
        let interception = try await start(request, identity: identity, api: api, model: model, body: body)
        let (bytes, injectedUsage) = body.forwardingBytes()
        let headers = BridgeHeaders.upstreamRequest(from: request.headers, to: upstream, hasBody: true)
        let response: HTTPClientResponse
        do {
            response = try await client.execute(HTTPClientRequest(method: .POST, url: upstream.url(rest: rest, query: request.http.query),
                                                                  headers: headers, body: .bytes(bytes)))
        } catch {
            count(api, outcome: "unreachable")
            try await end(interception, with: nil, requestID: request.requestID)
            throw upstreamFailure(error, requestID: request.requestID)
        }
        let responseHeaders = BridgeHeaders.clientResponse(from: response.headers)
        if (200..<300).contains(response.status.code), BridgeHeaders.isEventStream(response.headers) {
            count(api, outcome: "streamed")
            let relay = StreamRelay(api: api, filtersInjectedUsage: injectedUsage)
            let upstreamBody = response.body
            return HTTPResponse(status: response.status, headers: responseHeaders, body: .stream { writer in
                try await relay.run(upstream: upstreamBody, to: writer, ending: interception)
            })
        }
        let answer: [UInt8]
        do {
            answer = try await response.body.collect(upTo: maxResponseBytes)
        } catch {
            count(api, outcome: "unreachable")
            try await end(interception, with: nil, requestID: request.requestID)
            throw upstreamFailure(error, requestID: request.requestID)
        }
        let succeeded = (200..<300).contains(response.status.code)
        count(api, outcome: succeeded ? "answered" : "upstream_error")
        var summary: LLMResponseSummary? = nil
        if succeeded { summary = try? LLMResponseSummary(api: api, body: answer) }
        try await end(interception, with: summary, requestID: request.requestID)
        return HTTPResponse(status: response.status, headers: responseHeaders, body: .bytes(answer))
    }

    /// The request's body, parsed; 400 (coder's envelope) when it is not one JSON object.
    private func requestBody(_ request: Request, api: LLMAPI) async throws -> LLMRequestBody {
        let bytes = try await request.body()
        do {
            return try LLMRequestBody(api: api, bytes: bytes)
        } catch {
            throw ServiceError.badRequest("Invalid request body.", detail: error.reason)
        }
    }

    /// Stores the interception before anything is forwarded: its initiator, provider and
    /// model, the client and its session, and the thread it continues (the interception
    /// that made the tool call whose result the request carries last). 503 when the store
    /// refuses it: no call goes upstream unrecorded.
    private func start(_ request: Request, identity: Identity, api: LLMAPI, model: String,
                       body: LLMRequestBody) async throws -> OpenInterception {
        let client = KnownClient.detect(request.headers)
        var interception = RecordedInterception(
            id: UUID.random(), initiatorID: identity.userID, provider: api.provider.rawValue, model: model, startedAt: Date(),
            metadataJSON: Self.metadata(identity: identity, userAgent: request.headers["User-Agent"]),
            client: client?.name, clientSessionID: KnownClient.sessionID(of: client, headers: request.headers, body: body))
        if let callID = body.correlatingToolCallID {
            do {
                if let origin = try await recorder.toolCallOrigin(providerToolCallID: callID) {
                    interception.threadParentID = origin.interceptionID
                    interception.threadRootID = origin.rootForChild
                }
            } catch {
                logger.warning("thread lookup failed; recorded as a thread root", requestID: request.requestID,
                               [("error", "\(error)")])
            }
        }
        do {
            try await recorder.start(interception)
        } catch {
            logger.error("could not record an interception", requestID: request.requestID, [("error", "\(error)")])
            throw ServiceError(.serviceUnavailable, "The call could not be recorded.", detail: "the store refused the interception; nothing was sent upstream")
        }
        return OpenInterception(id: interception.id, recorder: recorder, prompt: body.userPrompt,
                                provider: interception.provider, model: model, tokens: tokens)
    }

    /// Ends `interception` with `summary`; 503 when the store fails (the answer is then
    /// withheld: a client never holds a whole answer that was not recorded).
    private func end(_ interception: OpenInterception, with summary: LLMResponseSummary?, requestID: String) async throws {
        do {
            try await interception.finish(summary)
        } catch {
            logger.error("could not end an interception", requestID: requestID, [("error", "\(error)")])
            throw ServiceError(.serviceUnavailable, "The call could not be recorded.", detail: "the store refused the answer")
        }
    }

    /// The interception's metadata, as coder records it: the user's name and the User-Agent.
    static func metadata(identity: Identity, userAgent: String?) -> String {
        var fields: JSONObject = ["Username": .string(identity.name)]
        if let userAgent { fields["request_user_agent"] = .string(userAgent) }
        return JSONValue.object(fields).serializedText
    }

    // MARK: pass-through

    /// An unrecorded call (the model lists): forwarded with the upstream's key, the answer
    /// passed back as it comes.
    func passThrough(_ request: Request, provider: LLMProvider, rest: String) async throws -> HTTPResponse {
        try request.require()
        let upstream = try UpstreamOverride(headers: request.headers).applied(to: configuredUpstream(provider))
        let body = try await request.body()
        let headers = BridgeHeaders.upstreamRequest(from: request.headers, to: upstream, hasBody: !body.isEmpty)
        let response: HTTPClientResponse
        do {
            response = try await client.execute(HTTPClientRequest(method: request.method, url: upstream.url(rest: rest, query: request.http.query),
                                                                  headers: headers, body: .bytes(body)))
        } catch {
            throw upstreamFailure(error, requestID: request.requestID)
        }
        let upstreamBody = response.body
        return HTTPResponse(status: response.status, headers: BridgeHeaders.clientResponse(from: response.headers), body: .stream { writer in
            for try await chunk in upstreamBody { try await writer.write(chunk) }
        })
    }

    // MARK: failures and metrics

    /// A failed exchange as the client's answer: 504 on a timeout, 503 when the upstream's
    /// connections stayed busy, else 502 (coder's envelope; the upstream's address and key
    /// are not named).
    func upstreamFailure(_ error: any Error, requestID: String) -> ServiceError {
        let clientError = error as? HTTPClientError
        logger.warning("upstream failed", requestID: requestID, [("error", "\(clientError.map { "\($0)" } ?? "\(type(of: error))")")])
        if let clientError, clientError.isTimeout {
            return ServiceError(.gatewayTimeout, "The upstream did not answer in time.")
        }
        if let clientError, clientError.isOverload {
            return ServiceError(.serviceUnavailable, "The upstream is busy; retry shortly.", headers: ["Retry-After": "1"])
        }
        if case .invalidURL? = clientError {
            return ServiceError(.badGateway, "The upstream is unreachable.", detail: "the upstream's base URL is not valid")
        }
        return ServiceError(.badGateway, "The upstream is unreachable.", detail: clientError.map { "\($0)" })
    }

    private func count(_ api: LLMAPI, outcome: String) {
        metrics.increment("aibridge_calls_total", help: "Recorded LLM calls by API and outcome",
                          labels: [("api", api.rawValue), ("outcome", outcome)])
    }
}
