/// Latency percentiles in milliseconds.
public struct LatencySummary: Codable, Sendable {
    /// Median.
    public var p50: Double
    /// 95th percentile.
    public var p95: Double
    /// 99th percentile.
    public var p99: Double
    /// The slowest.
    public var max: Double
    /// The mean.
    public var mean: Double

    /// The summary of `sorted` latencies in nanoseconds (ascending).
    init(sortedNanoseconds sorted: [UInt64]) {
        func at(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let position = Swift.min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)
            return Double(sorted[Swift.max(0, position)]) / 1e6
        }
        p50 = at(0.50)
        p95 = at(0.95)
        p99 = at(0.99)
        max = Double(sorted.last ?? 0) / 1e6
        mean = sorted.isEmpty ? 0 : Double(sorted.reduce(0, &+)) / Double(sorted.count) / 1e6
    }
}
