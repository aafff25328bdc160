import Foundation
import Synchronization

/// Per-user token buckets: `rate` tokens per second, up to `burst`. On the hot path, so
/// behind a `Mutex` (one short critical section) rather than an actor hop.
public final class RateLimiter: Sendable {
    struct Bucket { var tokens: Double; var last: Date }
    /// Tokens per second (0: unlimited).
    public let rate: Double
    /// Bucket size.
    public let burst: Double
    let clock: any GatewayClock
    private let buckets = Mutex<[Int64: Bucket]>([:])

    public init(rate: Double, burst: Double, clock: any GatewayClock) {
        self.rate = rate
        self.burst = max(1, burst)
        self.clock = clock
    }

    /// Whether limiting is on.
    public var enabled: Bool { rate > 0 }

    /// Takes a token for `user`; nil when allowed, else the seconds to wait (Retry-After).
    public func acquire(_ user: Int64) -> Int? {
        guard rate > 0 else { return nil }
        let now = clock.now()
        let rate = self.rate, burst = self.burst
        return buckets.withLock { b -> Int? in
            var bucket = b[user] ?? Bucket(tokens: burst, last: now)
            let elapsed = max(0, now.timeIntervalSince(bucket.last))
            bucket.tokens = min(burst, bucket.tokens + elapsed * rate)
            bucket.last = now
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                b[user] = bucket
                return nil
            }
            b[user] = bucket
            return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
        }
    }
}
