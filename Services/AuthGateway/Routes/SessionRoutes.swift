import HTTPCore
import ServiceKit

extension Gateway {
    /// `GET /ping` and `GET|POST /session` (seed 000).
    func addSessionRoutes(_ router: Router) {
        router.get("/ping") { _ in .text("pong") }
        let session: Handler = { [self] request in
            let principal: Principal
            switch Gateway.credential(request.headers) {
            case nil:
                throw ServiceError.unauthorized("missing API-Key header")
            case .apiKey(let k)?:
                principal = try await keyPrincipal { try await self.auth.principal(apiKey: k) }
            case .basic(let u, let k)?:
                principal = try await keyPrincipal { try await self.auth.principal(apiKey: k, userName: u) }
            case .session?:
                throw ServiceError.unauthorized("a session is made from an API key: send API-Key")
            }
            let id = try await auth.createSession(for: principal)
            metrics.increment("gateway_sessions_created_total", help: "Sessions created")
            return .text(id)
        }
        router.get("/session", session)
        router.post("/session", session)
    }

    private func keyPrincipal(_ body: () async throws -> Principal) async throws -> Principal {
        do { return try await body() } catch is AuthFailure {
            throw ServiceError.forbidden("invalid API key")
        }
    }
}
