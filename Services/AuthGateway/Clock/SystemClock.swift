import Foundation

/// The system clock.
public struct SystemClock: GatewayClock {
    /// The system clock.
    public init() {}
    /// `Date()`.
    public func now() -> Date { Date() }
}
