import HTTPCore
import ServiceKit

extension Gateway {
    /// `GET|POST /session` (seed 000): an API key (`API-Key`, a bearer `cbk_` key or HTTP
    /// Basic) → a new session id as plain text. 401 without a key, 403 for a bad one.
    func createSession(_ request: Request) async throws -> HTTPResponse {
        let principal: Principal
        switch Credential(headers: request.headers) {
        case nil:
            throw ServiceError.unauthorized("missing API-Key header")
        case .apiKey(let key)?:
            principal = try await keyPrincipal { try await self.auth.principal(apiKey: key) }
        case .basic(let user, let key)?:
            principal = try await keyPrincipal { try await self.auth.principal(apiKey: key, userName: user) }
        case .session?:
            throw ServiceError.unauthorized("a session is made from an API key: send API-Key")
        }
        let sessionID = try await auth.createSession(for: principal)
        metrics.increment("gateway_sessions_created_total", help: "Sessions created")
        return .text(sessionID)
    }

    /// The principal of an API key; 403 when it is refused.
    private func keyPrincipal(_ lookup: () async throws -> Principal) async throws -> Principal {
        do { return try await lookup() } catch is AuthFailure {
            throw ServiceError.forbidden("invalid API key")
        }
    }
}
