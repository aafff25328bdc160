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
    private let errors: ErrorMiddleware
    private let accessLog: AccessLogMiddleware
    private let metricsMiddleware: MetricsMiddleware
    private let identity: InternalIdentityMiddleware
    /// Whether CORS applies (then requests with an `Origin` take the task path).
    private let corsEnabled: Bool
    /// Whether the service has middlewares of its own (then every request takes the task path).
    private let hasServiceMiddlewares: Bool
    /// The chain between the first and last standard steps, composed once at start:
    /// CORS → errors → identity → the service's middlewares → router. The first step
    /// (request id) and the last (errors rendered, metrics, access log) are `begin` and
    /// `finish`, shared with the completion-style path.
    private let chain: Next

    /// The application of a service definition: its routes and conventions inside the
    /// standard middlewares (request id → access log → metrics → CORS → errors →
    /// identity → the service's → router), plus `/health` (readiness, then the
    /// definition's health answer) and `/metrics` (to those the definition's
    /// `metricsAuthorization` admits; 404 when `metricsListener` says a listener of its
    /// own serves them).
    public init(name: String, definition: ServiceDefinition, internalToken: String, logger: Logger, metrics: Metrics = Metrics(),
                metricsListener: Bool = false) {
        self.name = name
        self.router = definition.router
        self.envelope = definition.envelope
        self.metrics = metrics
        self.logger = logger
        let errors = ErrorMiddleware(envelope: definition.envelope, logger: logger)
        let identity = InternalIdentityMiddleware(token: internalToken, publicPaths: definition.publicPaths,
                                                  requireToken: definition.requireInternalToken)
        self.errors = errors
        self.identity = identity
        accessLog = AccessLogMiddleware(logger: logger)
        metricsMiddleware = MetricsMiddleware(metrics: metrics)
        corsEnabled = !definition.cors.isEmpty
        hasServiceMiddlewares = !definition.middlewares.isEmpty
        let router = definition.router
        let routed: Next = definition.middlewares.chain { request in try await Application.route(router, request) }
        let admitted: Next = { request in try await routed(identity.admitting(request)) }
        if definition.cors.isEmpty {
            chain = admitted
        } else {
            // CORS outside the error step: error answers carry the CORS headers too.
            let cors = CORSMiddleware(origins: definition.cors, allowedHeaders: definition.corsAllowedHeaders)
            chain = { request in
                try await cors.handle(request) { inner in
                    do { return try await admitted(inner) } catch { return errors.render(error, request: inner) }
                }
            }
        }
        Application.addStandardRoutes(router, definition: definition, metrics: metrics, metricsListener: metricsListener)
    }

    /// `/health` and `/metrics`, served by ServiceKit for every service.
    private static func addStandardRoutes(_ router: Router, definition: ServiceDefinition, metrics: Metrics, metricsListener: Bool) {
        let authorize = definition.metricsAuthorization
        router.get("/metrics") { request in
            if metricsListener { throw ServiceError.notFound("no route for GET /metrics") }
            try await authorize(request)
            return MetricsResponder.exposition(metrics)
        }
        let readiness = definition.readiness, health = definition.health
        router.get("/health") { _ in
            guard readiness.isReady else { return .json(HealthStatus(status: "starting"), status: .serviceUnavailable) }
            if let health { return await health() }
            return .json(HealthStatus(status: "healthy"))
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
        RequestIDMiddleware.assign(&request)
        do {
            return finish(request, .success(try await chain(request)))
        } catch {
            return finish(request, .failure(error))
        }
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
        guard let callback = request.entry?.callback, !hasServiceMiddlewares,
              !corsEnabled || request.headers["Origin"] == nil else {
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
}
