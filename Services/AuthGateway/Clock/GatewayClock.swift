import Foundation
import Synchronization

/// Where the gateway reads the time (session expiry, rate limits): injectable for tests.
public protocol GatewayClock: Sendable {
    /// The current wall-clock time.
    func now() -> Date
}

/// The system clock.
public struct SystemClock: GatewayClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that moves only when told (tests).
public final class ManualClock: GatewayClock {
    private let current: Mutex<Date>
    /// Starts at `start`.
    public init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000)) { current = Mutex(start) }
    public func now() -> Date { current.withLock { $0 } }
    /// Moves the clock forward.
    public func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}
