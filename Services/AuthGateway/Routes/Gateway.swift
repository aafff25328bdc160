import Contracts
import HTTPCore
import ServiceKit

/// The gateway's HTTP surface: what its routes share (store, authenticator, proxy table,
/// transport, limits, tunnels) and the one place every route is registered
/// (`registerRoutes(on:)`); each group's handlers are in a file of their own.
public final class Gateway: Sendable {
    /// The settings.
    public let options: AuthGatewayOptions
    /// Users, keys and sessions.
    public let store: GatewayStore
    /// Credentials to principals, with the session and key caches.
    public let auth: Authenticator
    /// Where the time is read.
    public let clock: any GatewayClock
    /// Where each path goes.
    public let table: ProxyTable
    /// How requests reach the upstreams.
    public let transport: any UpstreamTransport
    /// The per-user rate limit (proxy and `/admin`).
    public let limiter: RateLimiter
    /// The per-key rate limit of session creation (`SESSION_RATE_PER_KEY`).
    public let sessionLimiter: RateLimiter
    /// Requests one user may have in flight at the upstreams (`UPSTREAM_MAX_PER_USER`).
    let upstreamMaxPerUser: Int
    /// The service's logger.
    public let logger: Logger
    /// The registry served at `/metrics`.
    public let metrics: Metrics
    /// Every upstream, by name (health checks).
    public let upstreams: [Upstream]
    /// `X-Internal-Token: …` serialised once; nil when the configured token cannot be a
    /// header value (every proxied request then fails with 502 and says why).
    let internalTokenLine: HeaderLines?
    /// Open `/ws` tunnels per user, against `WS_MAX_TUNNELS_PER_USER`.
    public let tunnels: TunnelRegistry
    /// A tunnel with no bytes either way for this long is closed (`WS_IDLE_TIMEOUT_S`; nil: never).
    let tunnelIdleTimeout: Duration?

    /// The roles of `/admin/…`.
    static let adminRoles = ["admin"]
    /// The roles that may read a service's `/metrics` through the proxy: ServiceKit's
    /// operators, whom the services check again themselves.
    static let operatorRoles = ServiceDefinition.operatorRoles
    /// The methods the proxy forwards.
    static let proxiedMethods: [HTTPMethod] = [.GET, .HEAD, .POST, .PUT, .PATCH, .DELETE, .OPTIONS]

    /// A gateway over `store`, sending upstream through `transport`.
    public init(options: AuthGatewayOptions, store: GatewayStore, clock: any GatewayClock, transport: any UpstreamTransport,
                logger: Logger, metrics: Metrics) {
        self.options = options
        self.store = store
        self.clock = clock
        self.transport = transport
        self.logger = logger
        self.metrics = metrics
        auth = Authenticator(store: store, clock: clock, sessionLifetime: options.sessionLifetime, revalidateAfter: options.authCacheTTL,
                             maxSessionsPerKey: options.maxSessionsPerKey)
        upstreams = options.upstreams
        table = ProxyTable.standard(predictor: options.predictor, taskManager: options.taskManager, aibridge: options.aibridge,
                                    codeRunner: options.codeRunner, orchestrator: options.orchestrator)
            .requiring(options.routeRoles)
        limiter = RateLimiter(rate: options.rateLimitRPS, burst: options.rateLimitBurst, clock: clock)
        sessionLimiter = RateLimiter(rate: options.sessionRatePerKey, burst: options.sessionBurstPerKey, clock: clock)
        upstreamMaxPerUser = options.upstreamMaxPerUser
        var tokenLine = HeaderLines()
        internalTokenLine = (try? tokenLine.add(IdentityHeaders.internalToken, options.internalToken)).map { tokenLine }
        let tunnels = TunnelRegistry(maxPerUser: options.maxTunnelsPerUser)
        self.tunnels = tunnels
        tunnelIdleTimeout = options.tunnelIdleTimeout
        metrics.gauge("gateway_tunnels_open", help: "WebSocket tunnels open now") { Double(tunnels.openCount) }
        let auth = self.auth
        metrics.counter("gateway_revocations_heard_total",
                        help: "Revocations announced on the database (by any replica or the command line) and heard by this one") {
            Double(auth.announcementsHeardCount)
        }
    }

    /// Every route of the gateway, in one place: `/ping` and `/session` (SessionRoutes),
    /// `/admin/…` (AdminRoutes), `/docs` and every service's OpenAPI document
    /// (Gateway+ServiceDocuments), task-manager's documentation without credentials
    /// (Gateway+PublicDocs), and everything else to the proxy (ProxyRoutes, which hands
    /// `/ws` upgrades to WebSocketTunnelRoutes after Gateway+WebSocketSessionQuery). `/health` (HealthRoutes) and
    /// `/metrics` are served by ServiceKit.
    func registerRoutes(on router: Router) {
        router.get("/ping") { _ in .text("pong") }
        router.get("/session") { [self] request in try await createSession(request) }
        router.post("/session") { [self] request in try await createSession(request) }

        router.get("/admin/users") { [self] request in try await listUsers(request) }
        router.post("/admin/users") { [self] request in try await createUser(request) }
        router.get("/admin/users/{name}") { [self] request in try await showUser(request) }
        router.post("/admin/users/{name}/disable") { [self] request in try await disableUser(request) }
        router.get("/admin/users/{name}/keys") { [self] request in try await listKeys(request) }
        router.post("/admin/users/{name}/keys") { [self] request in try await createKey(request) }
        router.post("/admin/keys/{id}/revoke") { [self] request in try await revokeKey(request) }
        router.delete("/admin/keys/{id}") { [self] request in try await revokeKey(request) }

        registerDocumentRoutes(on: router)
        for path in Gateway.publicDocsPaths {
            router.on([.GET, .HEAD], path, callback: { [self] request, reply in forwardPublicDocs(request, reply: reply) })
        }
        router.on(Gateway.proxiedMethods, "/**", callback: { [self] request, reply in proxy(request, reply: reply) })
    }
}
