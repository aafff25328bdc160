import HTTPCore
import ServiceKit

extension Gateway {
    /// Authenticates a request: 401 without credentials (with a Basic challenge when
    /// `realm` is given), 403 for a bad one.
    public func authenticate(_ request: Request, realm: String? = nil) async throws -> Principal {
        guard let credential = Credential(headers: request.headers) else {
            var error = ServiceError.unauthorized("missing credentials: send Session-ID, Authorization, Coder-Session-Token, API-Key or X-Api-Key")
            if let realm { error.headers.set("WWW-Authenticate", "Basic realm=\"\(realm)\"") }
            throw error
        }
        do {
            switch credential {
            case .session(let session):
                if let principal = auth.cachedPrincipal(session: session) { return principal }
                return try await auth.principal(session: session)
            case .apiKey(let key): return try await auth.principal(apiKey: key)
            case .basic(let user, let key): return try await auth.principal(apiKey: key, userName: user)
            }
        } catch let failure as AuthFailure {
            metrics.increment("gateway_auth_failures_total", help: "Refused credentials", labels: [("reason", "\(failure)")])
            switch failure {
            case .missing: throw ServiceError.unauthorized("missing credentials")
            case .invalidKey: throw ServiceError.forbidden("invalid API key")
            case .invalidSession: throw ServiceError.forbidden("invalid or expired session")
            }
        }
    }
}
