import HTTPCore
import ServiceKit

extension Gateway {
    /// How a completion-style route answers.
    typealias Reply = @Sendable (consuming Result<HTTPResponse, Error>) -> Void

    /// The catch-all: authenticate, rate-limit, forward, stream back. Completion style:
    /// a request with a cached session runs on the connection's loop from first byte to
    /// last without a task; anything that must wait (a database lookup, a streamed body,
    /// the authentication of a new credential) continues in one.
    func proxy(_ request: Request, reply: @escaping Reply) {
        guard let (route, upstreamPath) = table.match(request.path) else {
            reply(.failure(ServiceError.notFound("no route for \(request.method) \(request.path)")))
            return
        }
        if case .session(let session)? = Credential(headers: request.headers), let principal = auth.cachedPrincipal(session: session) {
            forward(request, along: route, upstreamPath: upstreamPath, principal: principal, reply: reply)
            return
        }
        Task {
            let principal: Principal
            do { principal = try await authenticate(request, realm: route.basicRealm) } catch { reply(.failure(error)); return }
            forward(request, along: route, upstreamPath: upstreamPath, principal: principal, reply: reply)
        }
    }

    /// The async form (tests, and requests that take the task path anyway).
    func proxy(_ request: Request) async throws -> HTTPResponse {
        try await withUnsafeThrowingContinuation { continuation in proxy(request) { continuation.resume(with: $0) } }
    }

    /// Sends an authenticated request upstream (or through a WebSocket tunnel) after the
    /// route's role check and the caller's rate limit.
    private func forward(_ request: Request, along route: ProxyRoute, upstreamPath: String, principal: Principal,
                         reply: @escaping Reply) {
        if !route.roles.isEmpty, let refusal = RoleCheck.refusal(requiring: route.roles, held: principal.roles) {
            reply(.failure(refusal))
            return
        }
        if let wait = limiter.acquire(userID: principal.userID) {
            metrics.increment("gateway_rate_limited_total", help: "Requests refused by the rate limit")
            reply(.failure(ServiceError(.tooManyRequests, "rate limit exceeded; retry in \(wait) s", headers: ["Retry-After": String(wait)])))
            return
        }
        if route.tunnelsWebSockets && Gateway.isWebSocketUpgrade(request) {
            tunnel(request, along: route, upstreamPath: upstreamPath, principal: principal, reply: reply)
            return
        }
        // The completion keeps only what it needs (not the whole request).
        let upstream = route.upstream, method = request.method, requestID = request.requestID
        let lines: HeaderLines
        do {
            lines = try ForwardedHeaders.upstreamHead(for: request, principal: principal, internalTokenLine: internalTokenLine)
        } catch {
            reply(.failure(upstreamFailure(.unreachable(error.description), upstream: upstream, requestID: requestID)))
            return
        }
        var target = upstreamPath
        if let query = request.http.query { target += "?" + query }
        let body: RequestBody
        if let bytes = request.http.body.buffered { body = .bytes(bytes) } else { body = request.http.body }
        let upstreamRequest = UpstreamRequest(method: request.method, target: target, lines: lines, body: body)
        transport.start(upstreamRequest, to: upstream) { [self] result in
            switch result {
            case .failure(let error): reply(.failure(upstreamFailure(error, upstream: upstream, requestID: requestID)))
            case .success(let response): relay(response, method: method, requestID: requestID, from: upstream, reply: reply)
            }
        }
    }

    /// The upstream's response, passed back: small bodies of known length whole (one
    /// write, no chunking), others streamed as they arrive.
    func relay(_ response: UpstreamResponse, method: HTTPMethod, requestID: String, from upstream: Upstream,
               reply: @escaping Reply) {
        var headers = ForwardedHeaders.filtered(response.headers, dropping: ForwardedHeaders.dropFromResponses)
        if method == .HEAD || response.status.forbidsBody {
            reply(.success(HTTPResponse(status: response.status, headers: consume headers, body: .stream { _ in })))
            return
        }
        let upstreamBody = response.body
        if let contentLength = headers["Content-Length"], let length = Int(contentLength), length <= 64 * 1024 {
            headers.remove("Content-Length")
            if let bytes = upstreamBody.buffered, bytes.count == length {
                // The header list moves into the reply with one owner, so the request id
                // is added to it in place further on.
                reply(.success(HTTPResponse(status: response.status, headers: consume headers, body: .bytes(bytes))))
            } else {
                relayCollected(status: response.status, headers: consume headers, body: upstreamBody, length: length,
                               requestID: requestID, from: upstream, reply: reply)
            }
            return
        }
        reply(.success(HTTPResponse(status: response.status, headers: consume headers, body: .stream { writer in
            for try await chunk in upstreamBody { try await writer.write(chunk) }
        })))
    }

    /// A small body of known length that did not come with the head: collected, then
    /// passed back whole (one write, no chunking).
    private func relayCollected(status: HTTPStatus, headers: HTTPHeaders, body: RequestBody, length: Int,
                                requestID: String, from upstream: Upstream, reply: @escaping Reply) {
        Task {
            do {
                let bytes = try await body.collect(upTo: length)
                reply(.success(HTTPResponse(status: status, headers: headers, body: .bytes(bytes))))
            } catch {
                reply(.failure(upstreamFailure(error as? UpstreamError ?? transport.classify(error), upstream: upstream, requestID: requestID)))
            }
        }
    }

    /// A failed exchange as the client's answer (504 on a timeout, else 502), counted and logged.
    func upstreamFailure(_ error: UpstreamError, upstream: Upstream, requestID: String) -> ServiceError {
        switch error {
        case .timeout(let reason):
            metrics.increment("gateway_upstream_errors_total", help: "Failed upstream exchanges", labels: [("upstream", upstream.name), ("kind", "timeout")])
            logger.warning("upstream timeout", requestID: requestID, [("upstream", upstream.name), ("error", reason)])
            return ServiceError(.gatewayTimeout, "\(upstream.name) did not answer in time")
        case .unreachable(let reason):
            metrics.increment("gateway_upstream_errors_total", help: "Failed upstream exchanges", labels: [("upstream", upstream.name), ("kind", "unreachable")])
            logger.warning("upstream unreachable", requestID: requestID, [("upstream", upstream.name), ("error", reason)])
            return ServiceError(.badGateway, "\(upstream.name) is unreachable")
        }
    }
}
