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
        let request = Gateway.liftingQuerySession(request, along: route)
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
    /// route's role check and the caller's rate limit; a service's `/metrics` only for an
    /// operator; at most `UPSTREAM_MAX_PER_USER` of the caller's requests in flight at once
    /// (429 beyond: one user cannot take a whole upstream pool). The caller's place is
    /// given back when the exchange ends (the response relayed, or it failed).
    private func forward(_ request: Request, along route: ProxyRoute, upstreamPath: String, principal: Principal,
                         reply: @escaping Reply) {
        if !route.roles.isEmpty, let refusal = RoleCheck.refusal(requiring: route.roles, held: principal.roles) {
            reply(.failure(refusal))
            return
        }
        if let refusal = rateLimitRefusal(principal) {
            reply(.failure(refusal))
            return
        }
        if route.tunnelsWebSockets && Gateway.isWebSocketUpgrade(request) {
            tunnel(request, along: route, upstreamPath: upstreamPath, principal: principal, reply: reply)
            return
        }
        if ServiceMetricsPath.mayMatch(upstreamPath), ServiceMetricsPath.matches(upstreamPath),
           let refusal = RoleCheck.refusal(requiring: Gateway.operatorRoles, held: principal.roles) {
            metrics.increment("gateway_metrics_refused_total", help: "Requests for a service's /metrics refused to non-operators")
            reply(.failure(refusal))
            return
        }
        // Found through the cached principal: one atomic add, no lock, no allocation.
        let load = principal.load ?? auth.loads.load(of: principal.userID)
        guard load.enter(limit: upstreamMaxPerUser) else {
            metrics.increment("gateway_user_concurrency_refused_total", help: "Requests refused at UPSTREAM_MAX_PER_USER")
            reply(.failure(Gateway.tooManyRequests("too many requests in flight: at most \(upstreamMaxPerUser) per user at once", retryAfter: 1)))
            return
        }
        // The completion keeps only what it needs (not the whole request).
        let upstream = route.upstream, method = request.method, requestID = request.requestID
        let lines: HeaderLines
        do {
            lines = try ForwardedHeaders.upstreamHead(for: request, principal: principal, internalTokenLine: internalTokenLine)
        } catch {
            load.leave()
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
            case .failure(let error):
                load.leave()
                reply(.failure(upstreamFailure(error, upstream: upstream, requestID: requestID)))
            case .success(let response):
                relay(response, method: method, requestID: requestID, from: upstream, holding: load, reply: reply)
            }
        }
    }

    /// The upstream's response, passed back: small bodies of known length whole (one
    /// write, no chunking), others streamed as they arrive. The caller's place in `load`
    /// (nil: none taken) is given back once the body has left the upstream: at once when
    /// it came with the head, else when it is collected or the stream ends (or is dropped).
    func relay(_ response: UpstreamResponse, method: HTTPMethod, requestID: String, from upstream: Upstream,
               holding load: UserLoad?, reply: @escaping Reply) {
        var headers = ForwardedHeaders.filtered(response.headers, dropping: ForwardedHeaders.dropFromResponses)
        if method == .HEAD || response.status.forbidsBody {
            load?.leave()
            reply(.success(HTTPResponse(status: response.status, headers: consume headers, body: .stream { _ in })))
            return
        }
        let upstreamBody = response.body
        if let contentLength = headers["Content-Length"], let length = Int(contentLength), length <= 64 * 1024 {
            headers.remove("Content-Length")
            if let bytes = upstreamBody.buffered, bytes.count == length {
                load?.leave()
                // The header list moves into the reply with one owner, so the request id
                // is added to it in place further on.
                reply(.success(HTTPResponse(status: response.status, headers: consume headers, body: .bytes(bytes))))
            } else {
                relayCollected(status: response.status, headers: consume headers, body: upstreamBody, length: length,
                               requestID: requestID, from: upstream, lease: load.map(UserLoadLease.init), reply: reply)
            }
            return
        }
        let lease = load.map(UserLoadLease.init)
        reply(.success(HTTPResponse(status: response.status, headers: consume headers, body: .stream { writer in
            defer { lease?.release() }
            for try await chunk in upstreamBody { try await writer.write(chunk) }
        })))
    }

    /// A small body of known length that did not come with the head: collected, then
    /// passed back whole (one write, no chunking); `lease` is given back once collected.
    private func relayCollected(status: HTTPStatus, headers: HTTPHeaders, body: RequestBody, length: Int,
                                requestID: String, from upstream: Upstream, lease: UserLoadLease?, reply: @escaping Reply) {
        Task {
            do {
                let bytes = try await body.collect(upTo: length)
                lease?.release()
                reply(.success(HTTPResponse(status: status, headers: headers, body: .bytes(bytes))))
            } catch {
                lease?.release()
                reply(.failure(upstreamFailure(error as? UpstreamError ?? transport.classify(error), upstream: upstream, requestID: requestID)))
            }
        }
    }

    /// A failed exchange as the client's answer (504 on a timeout, 503 with `Retry-After`
    /// when the upstream's pool stayed full, else 502), counted and logged.
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
        case .saturated(let reason):
            metrics.increment("gateway_upstream_errors_total", help: "Failed upstream exchanges", labels: [("upstream", upstream.name), ("kind", "saturated")])
            logger.warning("upstream busy", requestID: requestID, [("upstream", upstream.name), ("error", reason)])
            return ServiceError(.serviceUnavailable, "\(upstream.name) is busy; retry shortly", headers: ["Retry-After": "1"])
        }
    }
}
