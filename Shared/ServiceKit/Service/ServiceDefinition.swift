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
    /// Runs after the server has drained and the background work has stopped (close
    /// databases, clients).
    public var onShutdown: @Sendable () async -> Void = {}

    /// A definition with the given routes and envelope.
    public init(router: Router, envelope: ErrorEnvelope) {
        self.router = router
        self.envelope = envelope
    }
}
