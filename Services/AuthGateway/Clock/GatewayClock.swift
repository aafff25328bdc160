import Foundation

/// Where the gateway reads the time (session expiry, rate limits): injectable for tests.
public protocol GatewayClock: Sendable {
    /// The current wall-clock time.
    func now() -> Date
}
