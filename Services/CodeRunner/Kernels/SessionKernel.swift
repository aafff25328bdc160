import Synchronization

/// One analysis session's kernel as the pool tracks it: its gate (the session's requests
/// reach the kernel one at a time), the channel and slot of the running kernel if any,
/// and when it was last used.
final class SessionKernel: Sendable {
    /// The session's id.
    let session: String
    /// One request at a time.
    let gate = SerialGate()

    private struct State {
        var channel: UInt32?
        var slot: Int?
        var lastUsed: ContinuousClock.Instant
    }
    private let state: Mutex<State>

    /// A session with no kernel yet.
    init(session: String, now: ContinuousClock.Instant) {
        self.session = session
        state = Mutex(State(channel: nil, slot: nil, lastUsed: now))
    }

    /// The running kernel's channel and slot, if any.
    var running: (channel: UInt32, slot: Int)? {
        state.withLock { s in s.channel.flatMap { channel in s.slot.map { (channel, $0) } } }
    }

    /// When the session last used its kernel.
    var lastUsed: ContinuousClock.Instant { state.withLock { $0.lastUsed } }

    /// Marks a use now.
    func touch(_ now: ContinuousClock.Instant) { state.withLock { $0.lastUsed = now } }

    /// Records the kernel started for the session.
    func attach(channel: UInt32, slot: Int) {
        state.withLock { s in
            s.channel = channel
            s.slot = slot
        }
    }

    /// Forgets the kernel; its slot, if there was one.
    @discardableResult
    func detach() -> Int? {
        state.withLock { s in
            defer {
                s.channel = nil
                s.slot = nil
            }
            return s.slot
        }
    }
}
