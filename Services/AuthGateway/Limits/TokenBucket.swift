import Foundation

/// One user's bucket in the `RateLimiter`: tokens left, and when they were last counted.
struct TokenBucket {
    /// Tokens left (fractional: refilled continuously).
    var tokens: Double
    /// When `tokens` was last brought up to date.
    var countedAt: Date
}
