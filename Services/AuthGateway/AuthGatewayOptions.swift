import Foundation
import ServiceKit
import Storage

/// The gateway's settings, read once at start and validated (a bad one stops the start,
/// naming the setting).
public struct AuthGatewayOptions: Sendable {
    /// Where the database lives: `DATABASE_URL`, or SQLite at `DATA_DIR/gateway.sqlite`.
    public var database: DatabaseLocation
    /// PostgreSQL connections of this replica (`DATABASE_POOL_SIZE`).
    public var databasePoolSize: Int
    /// The shared secret sent to every service.
    public var internalToken: String
    /// Allowed CORS origins.
    public var corsOrigins: [String]
    /// Whether `/session`, `/predict`, `/mass_upload` answer errors with HTTP 200.
    public var legacyClientErrors: Bool
    /// Session lifetime, seconds.
    public var sessionLifetime: TimeInterval
    /// How long cached keys and sessions are trusted before re-reading the database, seconds.
    public var authCacheTTL: TimeInterval
    /// Per-user requests per second through the proxy (0: no limit).
    public var rateLimitRPS: Double
    /// Per-user burst.
    public var rateLimitBurst: Double
    /// Pooled keep-alive connections per upstream.
    public var upstreamMaxConnections: Int
    /// How long a request waits for a pooled upstream connection when all are busy.
    public var upstreamPoolWait: Duration
    /// Requests one user may have in flight at the upstreams at once.
    public var upstreamMaxPerUser: Int
    /// Sessions one API key may create per second (0: no limit).
    public var sessionRatePerKey: Double
    /// Sessions one API key may create in a burst.
    public var sessionBurstPerKey: Double
    /// Live sessions one API key may hold; one more ends the oldest (0: no cap).
    public var maxSessionsPerKey: Int
    /// Timeout of each upstream health check.
    public var healthTimeout: Duration
    /// predictor.
    public var predictor: Upstream
    /// task-manager.
    public var taskManager: Upstream
    /// aibridge-query.
    public var aibridge: Upstream
    /// code-runner.
    public var codeRunner: Upstream
    /// orchestrator.
    public var orchestrator: Upstream
    /// Roles required per proxy prefix.
    public var routeRoles: [String: [String]]
    /// Open `/ws` tunnels allowed per user.
    public var maxTunnelsPerUser: Int
    /// A tunnel with no bytes either way for this long is closed (nil: never).
    public var tunnelIdleTimeout: Duration?

    /// Reads and validates the settings.
    public init(config: Config) throws {
        database = try Self.databaseLocation(config)
        databasePoolSize = try config.databasePoolSize()
        internalToken = try config.string("INTERNAL_TOKEN")
        corsOrigins = try config.list("CORS_ORIGINS")
        legacyClientErrors = try config.flag("LEGACY_CLIENT_ERRORS")
        sessionLifetime = try config.number("SESSION_TTL_S", in: 1...Double(Int32.max))
        authCacheTTL = try config.number("AUTH_CACHE_TTL_S", in: 0...86_400)
        rateLimitRPS = try config.number("RATE_LIMIT_RPS", in: 0...1e9)
        let burst = try config.number("RATE_LIMIT_BURST", in: 0...1e9)
        rateLimitBurst = burst > 0 ? burst : 2 * rateLimitRPS
        upstreamMaxConnections = try config.integer("UPSTREAM_MAX_CONNECTIONS", in: 1...65_536)
        upstreamPoolWait = try config.duration("UPSTREAM_POOL_WAIT_MS", unit: .milliseconds(1), minimum: 1)
        let perUser = try config.integer("UPSTREAM_MAX_PER_USER", in: 0...1_000_000)
        upstreamMaxPerUser = perUser > 0 ? perUser : max(1, upstreamMaxConnections / 4)
        sessionRatePerKey = try config.number("SESSION_RATE_PER_KEY", in: 0...1e9)
        sessionBurstPerKey = try config.number("SESSION_BURST_PER_KEY", in: 1...1e9)
        maxSessionsPerKey = try config.integer("MAX_SESSIONS_PER_KEY", in: 0...10_000_000)
        healthTimeout = try config.duration("HEALTH_TIMEOUT_MS", unit: .milliseconds(1), minimum: 1)
        let connectTimeout = try config.duration("UPSTREAM_CONNECT_TIMEOUT_MS", unit: .milliseconds(1), minimum: 1)
        func upstream(_ name: String, urlSetting: String, timeoutSetting: String) throws -> Upstream {
            guard let baseURL = try config.url(urlSetting) else {
                throw ConfigError.malformed(setting: urlSetting, value: "", expected: "the \(name) base URL")
            }
            let seconds = try config.number(timeoutSetting, in: 0.001...86_400)
            return Upstream(name: name, baseURL: baseURL, readTimeout: .milliseconds(Int(seconds * 1000)), connectTimeout: connectTimeout)
        }
        predictor = try upstream("predictor", urlSetting: "PREDICTOR_URL", timeoutSetting: "PREDICTOR_TIMEOUT_S")
        taskManager = try upstream("task-manager", urlSetting: "TASK_MANAGER_URL", timeoutSetting: "TASK_MANAGER_TIMEOUT_S")
        aibridge = try upstream("aibridge-query", urlSetting: "AIBRIDGE_URL", timeoutSetting: "AIBRIDGE_TIMEOUT_S")
        codeRunner = try upstream("code-runner", urlSetting: "CODE_RUNNER_URL", timeoutSetting: "CODE_RUNNER_TIMEOUT_S")
        orchestrator = try upstream("orchestrator", urlSetting: "ORCHESTRATOR_URL", timeoutSetting: "ORCHESTRATOR_TIMEOUT_S")
        routeRoles = try ProxyTable.parseRoles(config.string("ROUTE_ROLES"))
        maxTunnelsPerUser = try config.integer("WS_MAX_TUNNELS_PER_USER", in: 0...1_000_000)
        let idleSeconds = try config.number("WS_IDLE_TIMEOUT_S", in: 0...Double(Int32.max))
        tunnelIdleTimeout = idleSeconds > 0 ? .milliseconds(Int(idleSeconds * 1000)) : nil
    }

    /// `DATABASE_URL` (the server and the management commands open the same database).
    public static func databaseLocation(_ config: Config) throws -> DatabaseLocation {
        try config.databaseLocation(sqliteFile: "gateway.sqlite")
    }

    /// Every upstream (health checks).
    public var upstreams: [Upstream] { [predictor, taskManager, aibridge, codeRunner, orchestrator] }
}
