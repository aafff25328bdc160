import Foundation
import HTTPCore
import ServiceKit

/// The auth-gateway service: its name, default port, settings, and how it is built (the
/// store opened, the proxy table printed, the routes of `Gateway` defined).
public enum AuthGatewayService: Service {
    /// The executable's name.
    public static let name = "auth-gateway"
    /// The default port.
    public static let defaultPort = 8080
    /// The management commands, for `--help`.
    public static var usage: String? { GatewayCLI.usage }
    /// Settings beyond the common ones.
    public static let settings: [Setting] = Config.serviceURLs + Config.database(schema: GatewayStore.postgresSchema) + [
        Setting("CORS_ORIGINS", "http://localhost:3000,http://127.0.0.1:3000", "allowed CORS origins, comma-separated (* for any)"),
        Setting("LEGACY_CLIENT_ERRORS", "0", "1: /session, /predict, /mass_upload answer errors with HTTP 200 (the original VS Code client)"),
        Setting("SESSION_TTL_S", "3600", "session lifetime, seconds"),
        Setting("AUTH_CACHE_TTL_S", "30", "how long cached keys/sessions are trusted before re-reading the database, seconds (revocations announced on the database drop them at once: every replica on PostgreSQL)"),
        Setting("RATE_LIMIT_RPS", "0", "per-user requests per second through the proxy (0: no limit)"),
        Setting("RATE_LIMIT_BURST", "0", "per-user burst (0: twice RATE_LIMIT_RPS)"),
        Setting("UPSTREAM_CONNECT_TIMEOUT_MS", "2000", "connect timeout to upstreams, ms"),
        Setting("UPSTREAM_MAX_CONNECTIONS", "256", "pooled keep-alive connections per upstream"),
        Setting("UPSTREAM_POOL_WAIT_MS", "10000", "how long a request waits for a pooled upstream connection when all are busy, ms; then 503 with Retry-After"),
        Setting("UPSTREAM_MAX_PER_USER", "0", "requests one user may have in flight at the upstreams at once, 429 beyond (0: a quarter of UPSTREAM_MAX_CONNECTIONS, at least 1)"),
        Setting("SESSION_RATE_PER_KEY", "1", "sessions one API key may create per second, 429 beyond (0: no limit)"),
        Setting("SESSION_BURST_PER_KEY", "20", "sessions one API key may create in a burst"),
        Setting("MAX_SESSIONS_PER_KEY", "100", "live sessions one API key may hold; one more ends its oldest (0: no cap)"),
        Setting("PREDICTOR_TIMEOUT_S", "30", "predictor read timeout (longest silence), seconds"),
        Setting("TASK_MANAGER_TIMEOUT_S", "60", "task-manager read timeout, seconds"),
        Setting("AIBRIDGE_TIMEOUT_S", "300", "aibridge-query read timeout, seconds"),
        Setting("CODE_RUNNER_TIMEOUT_S", "120", "code-runner read timeout, seconds"),
        Setting("ORCHESTRATOR_TIMEOUT_S", "60", "orchestrator read timeout, seconds"),
        Setting("ROUTE_ROLES", "", "roles required per proxy prefix, e.g. /orchestrator/=compute|admin;/code/=user (empty: any user)"),
        Setting("HEALTH_TIMEOUT_MS", "2000", "timeout of each upstream health check, ms"),
        Setting("WS_MAX_TUNNELS_PER_USER", "16", "open /ws WebSocket connections per user (429 beyond)"),
        Setting("WS_IDLE_TIMEOUT_S", "300", "a /ws tunnel with no bytes either way for this long is closed, seconds (0: never)"),
    ]

    /// Reads the settings.
    public static func options(_ config: Config) throws -> AuthGatewayOptions { try AuthGatewayOptions(config: config) }

    /// Opens the database, prints the proxy table and defines the service.
    public static func make(_ options: AuthGatewayOptions, context: ServiceContext) async throws -> ServiceDefinition {
        let store = try await GatewayStore.open(options.database, poolSize: options.databasePoolSize)
        let gateway = Gateway(options: options, store: store, clock: SystemClock(),
                              transport: defaultTransport(options), logger: context.logger, metrics: context.metrics)
        // Revocations by the other replicas and the command line reach this one's caches.
        try await gateway.auth.followRevocations()
        context.logger.info("proxy table", [("routes", gateway.table.description)])
        let text = "auth-gateway proxy table:\n" + gateway.table.routes.map { route in
            "  \(route.prefix.padding(toLength: 20, withPad: " ", startingAt: 0)) -> \(route.upstream.name) \(route.upstream.baseURL)\(route.stripPrefix ? " (prefix stripped)" : "")"
        }.joined(separator: "\n") + "\n"
        FileHandle.standardOutput.write(Data(text.utf8))
        return definition(of: gateway)
    }

    /// The service definition of `gateway`: its routes, the `{"code","description"}`
    /// envelope, CORS, its own authentication (no internal token; `/ping` open; `/metrics`
    /// for a session or key with an operator role), the
    /// aggregated `/health`, the legacy-client middleware when asked for, and the
    /// transport and store closed at shutdown.
    public static func definition(of gateway: Gateway) -> ServiceDefinition {
        let router = Router()
        gateway.registerRoutes(on: router)
        var definition = ServiceDefinition(router: router, envelope: .codeDescription)
        definition.cors = gateway.options.corsOrigins
        definition.health = { await gateway.health() }
        definition.requireInternalToken = false
        definition.publicPaths = ["/health", "/metrics", "/ping"] + Gateway.documentPaths
        // `/metrics` for operators: with a session or key of theirs (the gateway's clients
        // carry no internal token), or as on every service (internal token and roles).
        definition.metricsAuthorization = { request in
            guard Credential(headers: request.headers) != nil else { return try await ServiceDefinition.operatorsOnly(request) }
            let principal = try await gateway.authenticate(request)
            if let refusal = RoleCheck.refusal(requiring: ServiceDefinition.operatorRoles, held: principal.roles) { throw refusal }
        }
        if gateway.options.legacyClientErrors { definition.middlewares = [LegacyClientErrorsMiddleware(envelope: .codeDescription)] }
        let transport = gateway.transport, store = gateway.store
        definition.onShutdown = {
            await transport.shutdown()
            await store.close()
        }
        return definition
    }

    /// The production transport.
    public static func defaultTransport(_ options: AuthGatewayOptions) -> any UpstreamTransport {
        HTTPClientTransport(maxConnectionsPerHost: options.upstreamMaxConnections, poolWait: options.upstreamPoolWait)
    }
}
