import HTTPCore
import ServiceKit

extension Gateway {
    /// A 429 in the envelope with `Retry-After: seconds`.
    static func tooManyRequests(_ message: String, retryAfter seconds: Int) -> ServiceError {
        ServiceError(.tooManyRequests, message, headers: ["Retry-After": String(seconds)])
    }

    /// The per-user rate limit (`RATE_LIMIT_RPS`, off when 0): nil when `principal` may
    /// go on, else the 429 to answer (counted).
    func rateLimitRefusal(_ principal: Principal) -> ServiceError? {
        guard let wait = limiter.acquire(id: principal.userID) else { return nil }
        metrics.increment("gateway_rate_limited_total", help: "Requests refused by the rate limit")
        return Gateway.tooManyRequests("rate limit exceeded; retry in \(wait) s", retryAfter: wait)
    }
}
