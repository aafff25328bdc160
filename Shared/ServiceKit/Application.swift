import Contracts
import HTTPCore

/// A service's HTTP application: the middleware chain around the router. The server
/// calls it as an `HTTPResponder` (`respond(to:replyingTo:)`); tests call the async
/// `respond(to:)` in-process.
public final class Application: HTTPResponder {
    /// The service name.
    public let name: String
    /// The routes.
    public let router: Router
    /// The error envelope of this API.
    public let envelope: ErrorEnvelope
    /// Metrics exposed at `/metrics`.
    public let metrics: Metrics
    /// The logger.
    public let logger: Logger
    private let chain: Next
    private let errors: ErrorMiddleware
    // The standard middlewares, run inline by `respond(to:)` (one async frame, not six).
    private let accessLog: AccessLogMiddleware
    private let metricsMiddleware: MetricsMiddleware
    private let cors: CORSMiddleware?
    private let identity: InternalIdentityMiddleware
    /// The service's own middlewares around the router (nil when there are none).
    private let inner: Next?

    /// - Parameters:
    ///   - middlewares: service middlewares, run inside the standard ones
    ///     (request id → access log → metrics → CORS → errors → identity → these → router).
    public init(name: String, router: Router, envelope: ErrorEnvelope, logger: Logger, metrics: Metrics = Metrics(),
                cors: [String] = [], internalToken: String, requireInternalToken: Bool = true,
                publicPaths: [String] = ["/health", "/metrics"], middlewares: [any Middleware] = []) {
        self.name = name
        self.router = router
        self.envelope = envelope
        self.metrics = metrics
        self.logger = logger
        let errors = ErrorMiddleware(envelope: envelope, logger: logger)
        self.errors = errors
        let accessLog = AccessLogMiddleware(logger: logger)
        let metricsMiddleware = MetricsMiddleware(metrics: metrics)
        let corsMiddleware = cors.isEmpty ? nil : CORSMiddleware(origins: cors)
        let identity = InternalIdentityMiddleware(token: internalToken, publicPaths: publicPaths, requireToken: requireInternalToken)
        self.accessLog = accessLog
        self.metricsMiddleware = metricsMiddleware
        self.cors = corsMiddleware
        self.identity = identity
        // CORS outside the error step: error answers carry the CORS headers too.
        var all: [any Middleware] = [RequestIDMiddleware(), accessLog, metricsMiddleware]
        if let corsMiddleware { all.append(corsMiddleware) }
        all.append(errors)
        all.append(identity)
        all.append(contentsOf: middlewares)
        let router = router
        chain = all.chain { request in
            try await Application.route(router, request)
        }
        inner = middlewares.isEmpty ? nil : middlewares.chain { request in
            try await Application.route(router, request)
        }
        // Literal routes win over `{param}` ones, so these are reachable unless the
        // service registered its own.
        if !router.routes.contains("GET /metrics") {
            router.get("/metrics") { _ in
                HTTPResponse(status: .ok, contentType: "text/plain; version=0.0.4", body: Array(metrics.render().utf8))
            }
        }
        if !router.routes.contains("GET /health") {
            router.get("/health") { _ in .json(HealthStatus(status: "healthy")) }
        }
    }

    /// Runs the matched handler, or answers 404/405 (OPTIONS: 204 with `Allow`).
    private static func route(_ router: Router, _ request: Request) async throws -> HTTPResponse {
        if let entry = request.entry { return try await entry.handler(request) }
        switch router.match(request.method, request.path) {
        case .found(let handler, _, _):
            return try await handler(request)
        case .methodNotAllowed(let allowed):
            if request.method == .OPTIONS {
                return HTTPResponse(status: .noContent, headers: ["Allow": (allowed + ["OPTIONS"]).joined(separator: ", ")])
            }
            throw ServiceError(.methodNotAllowed, "method \(request.method) not allowed on \(request.path)",
                               headers: ["Allow": allowed.joined(separator: ", ")])
        case .notFound:
            throw ServiceError.notFound("no route for \(request.method) \(request.path)")
        }
    }

    /// Handles one request (the server's handler). The route is matched first, so every
    /// middleware sees the route pattern and path parameters.
    public func respond(to http: HTTPRequest) async -> HTTPResponse {
        await respond(routed: routed(http))
    }

    private func respond(routed: Request) async -> HTTPResponse {
        var request = routed
        // The standard chain, flattened (same order and behaviour as `chain`):
        // request id → access log → metrics → CORS → errors → identity → service middlewares → router.
        RequestIDMiddleware.assign(&request)
        let response: HTTPResponse
        do {
            if let cors, request.headers["Origin"] != nil {
                let identity = self.identity, inner = self.inner, router = self.router, errors = self.errors
                response = try await cors.handle(request) { r in
                    do {
                        return try await Application.admitted(identity.admitting(r), inner, router)
                    } catch {
                        return errors.render(error, request: r)
                    }
                }
            } else {
                response = try await Application.admitted(identity.admitting(request), inner, router)
            }
        } catch {
            return finish(request, .failure(error))
        }
        return finish(request, .success(response))
    }

    /// The request with its route matched (pattern, parameters, handler).
    private func routed(_ http: HTTPRequest) -> Request {
        var request = Request(http: http)
        if case .found(let entry, let params) = router.lookup(http.method, http.path) {
            request.pathParameters = params
            request.entry = entry
        }
        return request
    }

    /// The server's entry point: a completion-style route runs right here on the
    /// connection's loop, with the same standard chain as `respond(to:)` (request id,
    /// identity, errors, metrics, access log) when no CORS preflight or service
    /// middleware is involved; everything else runs `respond(to:)` in a task.
    public func respond(to http: HTTPRequest, replyingTo sink: ResponseSink) {
        var request = routed(http)
        guard let callback = request.entry?.callback, inner == nil,
              cors == nil || request.headers["Origin"] == nil else {
            Task(executorPreference: sink.loop) { [request] in sink.send(await self.respond(routed: request)) }
            return
        }
        RequestIDMiddleware.assign(&request)
        do {
            try identity.admit(&request)
        } catch {
            sink.send(finish(request, .failure(error)))
            return
        }
        // The result is handed over (consumed), so its header list keeps one owner.
        callback(request) { [self, request] result in sink.send(finish(request, consume result)) }
    }

    /// The end of the standard chain: errors rendered, metrics, access log, request id.
    private func finish(_ request: Request, _ result: consuming Result<HTTPResponse, Error>) -> HTTPResponse {
        var response: HTTPResponse
        // Consumed, so the response's header list has one owner and the request id is
        // added in place.
        switch consume result {
        case .success(let r): response = r
        case .failure(let e): response = errors.render(e, request: request)
        }
        metricsMiddleware.record(request, response)
        accessLog.record(request, response)
        response.headers.set(requestIDHeader, request.requestID)
        return response
    }

    /// After the identity check: the service's middlewares and the router.
    @inline(__always)
    private static func admitted(_ request: Request, _ inner: Next?, _ router: Router) async throws -> HTTPResponse {
        if let inner { return try await inner(request) }
        return try await route(router, request)
    }

    /// The unflattened chain (tests compare both).
    func respondThroughChain(to http: HTTPRequest) async -> HTTPResponse {
        let request = routed(http)
        do {
            return try await chain(request)
        } catch {
            return errors.render(error, request: request)
        }
    }
}
