import AuthGateway
import Foundation
import Synchronization

/// A clock that moves only when told.
final class ManualClock: GatewayClock {
    private let current: Mutex<Date>
    /// Starts at `start`.
    init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000)) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    /// Moves the clock forward.
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}
