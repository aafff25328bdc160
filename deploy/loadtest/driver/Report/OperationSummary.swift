/// One operation's figures (or all operations together).
public struct OperationSummary: Codable, Sendable {
    /// The operation (`predict large`, `claim`, …; `all` for the total).
    public var name: String
    /// Requests sent.
    public var requests: Int
    /// Requests per second over the measured window.
    public var requestsPerSecond: Double
    /// Latency until the whole body had arrived.
    public var latencyMs: LatencySummary
    /// Answers by status (`"200"`, `"400"`; `"none"` when no response arrived).
    public var statuses: [String: Int]
    /// Answers with a status the scenario did not expect for this operation, or none.
    public var unexpected: Int

    enum CodingKeys: String, CodingKey {
        case name, requests, requestsPerSecond = "requests_per_second", latencyMs = "latency_ms", statuses, unexpected
    }

    /// The summary of `samples` over `seconds`.
    init(name: String, samples: [Sample], seconds: Double) {
        self.name = name
        requests = samples.count
        requestsPerSecond = seconds > 0 ? Double(samples.count) / seconds : 0
        latencyMs = LatencySummary(sortedNanoseconds: samples.map(\.latency).sorted())
        var statuses: [String: Int] = [:]
        for sample in samples { statuses[sample.status == 0 ? "none" : String(sample.status), default: 0] += 1 }
        self.statuses = statuses
        unexpected = samples.filter { !$0.expected }.count
    }
}
