import HTTPCore

/// What a service is made of: its routes and API conventions, its background work, its
/// readiness, and what to close at shutdown. `ServiceMain` (or a test) turns it into an
/// `Application` and runs it.
public struct ServiceDefinition: Sendable {
    /// The service's routes (`/health` and `/metrics` are added by ServiceKit).
    public var router: Router
    /// The API's error envelope.
    public var envelope: ErrorEnvelope
    /// Allowed CORS origins (empty: no CORS).
    public var cors: [String] = []
    /// Request headers a CORS preflight may ask for (compared without case); the answer
    /// names the asked-for ones on this list.
    public var corsAllowedHeaders: [String] = CORSMiddleware.defaultAllowedHeaders
    /// Paths open without the internal token (exact, or prefixes ending in `/`).
    public var publicPaths: [String] = ["/health", "/metrics"]
    /// False for the gateway, which authenticates clients itself.
    public var requireInternalToken = true
    /// The service's own middlewares, run inside the standard ones.
    public var middlewares: [any Middleware] = []
    /// Work started once the server listens and cancelled after the drain.
    public var background: [any BackgroundService] = []
    /// Until ready, `/health` answers 503 `{"status":"starting"}`.
    public var readiness = Readiness(ready: true)
    /// The answer of `/health` once ready (default `{"status":"healthy"}`); the gateway's
    /// aggregates its upstreams'.
    public var health: (@Sendable () async -> HTTPResponse)?
    /// Who may read `/metrics` on the service's own port (with `METRICS_PORT` set it is
    /// served on that listener only): throws to refuse. By default, requests vouched for
    /// by the internal token whose identity has an operator role (`operatorRoles`); the
    /// gateway, which authenticates its own clients, sets a check of its own.
    public var metricsAuthorization: @Sendable (Request) async throws -> Void = ServiceDefinition.operatorsOnly
    /// Runs after the server has drained and the background work has stopped (close
    /// databases, clients).
    public var onShutdown: @Sendable () async -> Void = {}

    /// The roles that may read a service's metrics: `admin` and `auditor`.
    public static let operatorRoles = ["admin", "auditor"]

    /// The default `metricsAuthorization`: 401 without a vouched-for identity, 403
    /// without an operator role.
    public static let operatorsOnly: @Sendable (Request) async throws -> Void = { request in
        _ = try request.require(roles: operatorRoles)
    }

    /// A definition with the given routes and envelope.
    public init(router: Router, envelope: ErrorEnvelope) {
        self.router = router
        self.envelope = envelope
    }
}
