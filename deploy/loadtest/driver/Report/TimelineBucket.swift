/// One second of the run (by request start): throughput and latency over time, for the plot.
public struct TimelineBucket: Codable, Sendable {
    /// Seconds since the start (0 = the first second).
    public var second: Int
    /// Requests started in that second.
    public var requests: Int
    /// Of those, unexpected answers.
    public var unexpected: Int
    /// Latency percentiles of those requests.
    public var latencyMs: LatencySummary

    enum CodingKeys: String, CodingKey { case second, requests, unexpected, latencyMs = "latency_ms" }

    /// The buckets of `samples`, one per second of `seconds` (empty seconds included).
    static func buckets(_ samples: [Sample], seconds: Double) -> [TimelineBucket] {
        let count = max(1, Int(seconds.rounded(.up)))
        var latencies = Array(repeating: [UInt64](), count: count)
        var unexpected = Array(repeating: 0, count: count)
        for sample in samples {
            let second = min(count - 1, Int(sample.start / 1_000_000_000))
            latencies[second].append(sample.latency)
            if !sample.expected { unexpected[second] += 1 }
        }
        return (0..<count).map { second in
            TimelineBucket(second: second, requests: latencies[second].count, unexpected: unexpected[second],
                           latencyMs: LatencySummary(sortedNanoseconds: latencies[second].sorted()))
        }
    }
}
