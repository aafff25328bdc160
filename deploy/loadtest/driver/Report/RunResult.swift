/// What one run measured: written as `<scenario>.json`, shown as a table, plotted.
public struct RunResult: Codable, Sendable {
    /// The scenario.
    public var scenario: String
    /// What its mix is.
    public var mix: String
    /// The gateway it ran against.
    public var url: String
    /// Concurrent connections.
    public var connections: Int
    /// The measured window in seconds: requests are started in it (the answers of those still
    /// in flight at its end are waited for and counted).
    public var seconds: Double
    /// When it started (ISO 8601, UTC).
    public var startedAt: String
    /// All operations together.
    public var total: OperationSummary
    /// Each operation, in the order first seen.
    public var operations: [OperationSummary]
    /// Per second.
    public var timeline: [TimelineBucket]
    /// The driver's CPU and the machine's.
    public var driver: DriverUsage

    enum CodingKeys: String, CodingKey {
        case scenario, mix, url, connections, seconds, startedAt = "started_at", total, operations, timeline, driver
    }
}
