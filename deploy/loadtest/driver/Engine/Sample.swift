/// One request as the driver saw it.
struct Sample: Sendable {
    /// When it was sent, in nanoseconds after the run started.
    var start: UInt64
    /// Until the whole response body had arrived, in nanoseconds.
    var latency: UInt64
    /// The HTTP status; 0 when no response arrived (connection refused, timeout).
    var status: Int16
    /// The operation's index in its worker's operation list.
    var operation: UInt16
    /// Whether the scenario expected that status for that operation.
    var expected: Bool
}
