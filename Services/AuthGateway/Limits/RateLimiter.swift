import Foundation
import Synchronization

/// Token buckets per id (a user's for the proxy and `/admin`, an API key's for `/session`):
/// `rate` tokens per second, up to `burst`. On the hot path, so behind a `Mutex` (one short
/// critical section) rather than an actor hop.
public final class RateLimiter: Sendable {
    /// Tokens per second (0: unlimited).
    public let rate: Double
    /// Bucket size.
    public let burst: Double
    /// Where the time is read.
    let clock: any GatewayClock
    private let buckets = Mutex<[Int64: TokenBucket]>([:])

    /// A limiter of `rate` requests per second per id, bursts up to `burst` (at least 1).
    public init(rate: Double, burst: Double, clock: any GatewayClock) {
        self.rate = rate
        self.burst = max(1, burst)
        self.clock = clock
    }

    /// Whether limiting is on.
    public var enabled: Bool { rate > 0 }

    /// Takes a token for `id` (a user's or a key's); nil when allowed, else the seconds to
    /// wait (Retry-After).
    public func acquire(id: Int64) -> Int? {
        guard rate > 0 else { return nil }
        let now = clock.now()
        let rate = self.rate, burst = self.burst
        return buckets.withLock { buckets -> Int? in
            var bucket = buckets[id] ?? TokenBucket(tokens: burst, countedAt: now)
            let elapsed = max(0, now.timeIntervalSince(bucket.countedAt))
            bucket.tokens = min(burst, bucket.tokens + elapsed * rate)
            bucket.countedAt = now
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                buckets[id] = bucket
                return nil
            }
            buckets[id] = bucket
            return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
        }
    }
}
