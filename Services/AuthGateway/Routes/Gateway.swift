import Contracts
import Crypto
import Foundation
import HTTPCore
import ServiceKit

/// The gateway: its store, authenticator, proxy table, transport and routes.
public final class Gateway: Sendable {
    /// The settings.
    public let options: GatewayOptions
    public let store: GatewayStore
    public let auth: Authenticator
    public let clock: any GatewayClock
    public let table: ProxyTable
    public let transport: any UpstreamTransport
    public let limiter: RateLimiter
    public let logger: Logger
    public let metrics: Metrics
    /// Every upstream, by name (health checks).
    public let upstreams: [Upstream]
    /// `X-Internal-Token: …` serialised once; nil when the configured token cannot be a
    /// header value (every proxied request then fails with 502 and says why).
    let tokenLine: HeaderLines?
    let legacyErrors: Bool
    /// Open `/ws` tunnels per user, against `WS_MAX_TUNNELS_PER_USER`.
    public let tunnels: TunnelRegistry
    /// A tunnel with no bytes either way for this long is closed (`WS_IDLE_TIMEOUT_S`; nil: never).
    let tunnelIdleTimeout: Duration?

    /// A gateway over `store`, sending upstream through `transport`.
    public init(options: GatewayOptions, store: GatewayStore, clock: any GatewayClock, transport: any UpstreamTransport,
                logger: Logger, metrics: Metrics) {
        self.options = options
        self.store = store
        self.clock = clock
        self.transport = transport
        self.logger = logger
        self.metrics = metrics
        auth = Authenticator(store: store, clock: clock, sessionLifetime: options.sessionLifetime, revalidateAfter: options.authCacheTTL)
        upstreams = options.upstreams
        table = ProxyTable.standard(predictor: options.predictor, taskManager: options.taskManager, aibridge: options.aibridge,
                                    codeRunner: options.codeRunner, orchestrator: options.orchestrator)
            .requiring(options.routeRoles)
        limiter = RateLimiter(rate: options.rateLimitRPS, burst: options.rateLimitBurst, clock: clock)
        var token = HeaderLines()
        tokenLine = (try? token.add(IdentityHeaders.internalToken, options.internalToken)).map { token }
        legacyErrors = options.legacyClientErrors
        let tunnels = TunnelRegistry(maxPerUser: options.maxTunnelsPerUser)
        self.tunnels = tunnels
        tunnelIdleTimeout = options.tunnelIdleTimeout
        metrics.gauge("gateway_tunnels_open", help: "WebSocket tunnels open now") { Double(tunnels.openCount) }
    }

    /// The service definition: routes, envelope, CORS, middlewares.
    public var definition: ServiceDefinition {
        let router = Router()
        addSessionRoutes(router)
        addAdminRoutes(router)
        let methods: [HTTPMethod] = [.GET, .HEAD, .POST, .PUT, .PATCH, .DELETE, .OPTIONS]
        router.on(methods, "/**", callback: { [self] request, reply in proxy(request, reply: reply) })
        var d = ServiceDefinition(router: router, envelope: .codeDescription)
        d.cors = options.corsOrigins
        d.health = { [self] in await health() }
        d.requireInternalToken = false
        d.publicPaths = ["/health", "/metrics", "/ping"]
        if legacyErrors { d.middlewares = [LegacyClientErrorsMiddleware(envelope: .codeDescription)] }
        let transport = self.transport, store = self.store
        d.onShutdown = {
            await transport.shutdown()
            await store.close()
        }
        return d
    }

    // MARK: credentials

    /// A credential found on a request.
    public enum Credential: Equatable {
        case session(String)
        case apiKey(String)
        case basic(user: String, key: String)
    }

    /// The credential of a request, in order: Session-ID, Authorization (Bearer/Basic),
    /// Coder-Session-Token, API-Key. A bearer token with the key prefix is an API key.
    public static func credential(_ headers: HTTPHeaders) -> Credential? {
        func sessionOrKey(_ t: String) -> Credential { t.hasPrefix(Secrets.keyPrefix) ? .apiKey(t) : .session(t) }
        if let s = headers["Session-ID"].map(\.trimmedOfSpaces), !s.isEmpty { return .session(s) }
        if let a = headers["Authorization"] {
            let parts = a.trimmingSpaces.split(separator: " ", maxSplits: 1)
            if parts.count == 2 {
                let scheme = parts[0], value = String(parts[1].trimmingSpaces)
                if HTTPHeaders.equalsIgnoringCase(scheme, "Bearer"), !value.isEmpty { return sessionOrKey(value) }
                if HTTPHeaders.equalsIgnoringCase(scheme, "Basic"),
                   let decoded = try? Base64.standard.decode(value), let text = String(validating: decoded, as: UTF8.self),
                   let colon = text.firstIndex(of: ":") {
                    return .basic(user: String(text[..<colon]), key: String(text[text.index(after: colon)...]))
                }
            }
        }
        if let t = headers["Coder-Session-Token"].map(\.trimmedOfSpaces), !t.isEmpty { return sessionOrKey(t) }
        if let k = headers["API-Key"].map(\.trimmedOfSpaces), !k.isEmpty { return .apiKey(k) }
        return nil
    }

    /// Authenticates a request: 401 without credentials (with a Basic challenge when
    /// `realm` is given), 403 for a bad one.
    public func authenticate(_ request: Request, realm: String? = nil) async throws -> Principal {
        guard let c = Gateway.credential(request.headers) else {
            var e = ServiceError.unauthorized("missing credentials: send Session-ID, Authorization, Coder-Session-Token or API-Key")
            if let realm { e.headers.set("WWW-Authenticate", "Basic realm=\"\(realm)\"") }
            throw e
        }
        do {
            switch c {
            case .session(let s):
                if let p = auth.cachedPrincipal(session: s) { return p }
                return try await auth.principal(session: s)
            case .apiKey(let k): return try await auth.principal(apiKey: k)
            case .basic(let u, let k): return try await auth.principal(apiKey: k, userName: u)
            }
        } catch let f as AuthFailure {
            metrics.increment("gateway_auth_failures_total", help: "Refused credentials", labels: [("reason", "\(f)")])
            switch f {
            case .missing: throw ServiceError.unauthorized("missing credentials")
            case .invalidKey: throw ServiceError.forbidden("invalid API key")
            case .invalidSession: throw ServiceError.forbidden("invalid or expired session")
            }
        }
    }
}

/// Under LEGACY_CLIENT_ERRORS=1: `/session`, `/predict` and `/mass_upload` answer errors
/// with HTTP 200 and the same `{"code","description"}` body (the original server did,
/// and its VS Code client reads `"code": 403` from a 2xx body to start a new session).
struct LegacyClientErrorsMiddleware: Middleware {
    let envelope: ErrorEnvelope
    static let paths = ["/session", "/predict", "/mass_upload"]

    static func applies(_ path: String) -> Bool {
        paths.contains { path == $0 || path.hasPrefix($0 + "/") }
    }

    func handle(_ request: Request, next: Next) async throws -> HTTPResponse {
        guard Self.applies(request.path) else { return try await next(request) }
        var response: HTTPResponse
        do {
            response = try await next(request)
        } catch let e as ServiceError {
            response = envelope.render(e)
        }
        if response.status.code >= 400 {
            response.headers.set("X-Original-Status", String(response.status.code))
            response.status = .ok
        }
        return response
    }
}
