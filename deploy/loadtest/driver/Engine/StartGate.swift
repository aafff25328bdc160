/// Holds the workers until every one is warmed up, then starts the clock for all at once.
actor StartGate {
    private let expected: Int
    private let duration: Duration
    private var arrived = 0
    private var waiting: [CheckedContinuation<(ContinuousClock.Instant, ContinuousClock.Instant), Never>] = []
    private var window: (origin: ContinuousClock.Instant, deadline: ContinuousClock.Instant)?
    private let onStart: @Sendable () -> Void

    /// A gate for `expected` workers; the run lasts `duration`; `onStart` runs as the clock starts.
    init(expected: Int, duration: Duration, onStart: @escaping @Sendable () -> Void) {
        self.expected = expected
        self.duration = duration
        self.onStart = onStart
    }

    /// Waits for the others; returns the run's origin and deadline.
    func arrive() async -> (origin: ContinuousClock.Instant, deadline: ContinuousClock.Instant) {
        arrived += 1
        if arrived == expected {
            onStart()
            let origin = ContinuousClock.now
            let opened = (origin, origin + duration)
            window = opened
            for continuation in waiting { continuation.resume(returning: opened) }
            waiting = []
            return opened
        }
        if let window { return window }
        return await withCheckedContinuation { waiting.append($0) }
    }

    /// The origin, once the gate opened.
    var origin: ContinuousClock.Instant? { window?.origin }
}
