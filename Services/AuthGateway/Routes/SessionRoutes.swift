import HTTPCore
import ServiceKit
import Storage

extension Gateway {
    /// `GET|POST /session` (seed 000): an API key (`API-Key`, a bearer `cbk_` key or HTTP
    /// Basic) → a new session id as plain text. 401 without a key, 403 for a bad one, 429
    /// beyond the key's rate (`SESSION_RATE_PER_KEY`); the key's oldest session ends when
    /// it already holds `MAX_SESSIONS_PER_KEY`. 503 with `Retry-After: 1` when, on PostgreSQL,
    /// sessions of the same key made at once on the replicas kept conflicting past the
    /// store's retries (the cap reads and ends the key's sessions: one at a time per key).
    func createSession(_ request: Request) async throws -> HTTPResponse {
        let principal: Principal
        switch Credential(headers: request.headers) {
        case nil:
            throw ServiceError.unauthorized("missing API-Key header")
        case .apiKey(let key)?:
            principal = try await refusingBadKeys { try await self.auth.principal(apiKey: key) }
        case .basic(let user, let key)?:
            principal = try await refusingBadKeys { try await self.auth.principal(apiKey: key, userName: user) }
        case .session?:
            throw ServiceError.unauthorized("a session is made from an API key: send API-Key")
        }
        if let wait = sessionLimiter.acquire(id: principal.keyID) {
            metrics.increment("gateway_sessions_rate_limited_total", help: "Sessions refused by the per-key rate limit")
            throw Gateway.tooManyRequests("too many sessions made with this API key; retry in \(wait) s", retryAfter: wait)
        }
        let session: (id: String, endedAtCap: Int)
        do {
            session = try await refusingBadKeys { try await self.auth.createSession(for: principal) }
        } catch let error as StorageError where error.isSerializationFailure {
            metrics.increment("gateway_sessions_contended_total",
                              help: "Sessions refused with 503: concurrent sessions of one key kept conflicting past the retries (PostgreSQL)")
            throw ServiceError(.serviceUnavailable, "too many sessions being made with this API key at once; retry in 1 s",
                               headers: ["Retry-After": "1"])
        }
        metrics.increment("gateway_sessions_created_total", help: "Sessions created")
        if session.endedAtCap > 0 {
            metrics.increment("gateway_sessions_ended_at_cap_total", help: "Sessions ended because their key made more than MAX_SESSIONS_PER_KEY",
                              by: Double(session.endedAtCap))
        }
        return .text(session.id)
    }

    /// What `lookup` finds for an API key; 403 when the key is refused.
    private func refusingBadKeys<Found>(_ lookup: () async throws -> Found) async throws -> Found {
        do { return try await lookup() } catch is AuthFailure {
            throw ServiceError.forbidden("invalid API key")
        }
    }
}
