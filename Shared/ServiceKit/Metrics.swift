import Foundation
import Synchronization

/// Prometheus metrics: counters, gauges and histograms with labels, rendered in the
/// text exposition format at `GET /metrics`.
public final class Metrics: Sendable {
    private struct Family {
        var type: String
        var help: String
        var values: [String: Double] = [:]          // label text -> value (counters, gauges)
        var histograms: [String: Histogram] = [:]   // label text -> histogram
    }
    private struct Histogram {
        var buckets: [Double]
        var counts: [UInt64]
        var sum = 0.0
        var count: UInt64 = 0
    }
    private let families = Mutex<[String: Family]>([:])
    private let order = Mutex<[String]>([])
    private let gaugeFunctions = Mutex<[(String, String, @Sendable () -> Double)]>([])
    /// Default latency buckets in seconds.
    public static let latencyBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    public init() {}

    private func family(_ name: String, _ type: String, _ help: String, _ body: (inout Family) -> Void) {
        families.withLock { f in
            if f[name] == nil {
                f[name] = Family(type: type, help: help)
                order.withLock { $0.append(name) }
            }
            body(&f[name]!)
        }
    }

    /// Adds to a counter.
    public func increment(_ name: String, help: String = "", labels: [(String, String)] = [], by v: Double = 1) {
        let key = Metrics.labelText(labels)
        family(name, "counter", help) { $0.values[key, default: 0] += v }
    }

    /// Sets a gauge.
    public func set(_ name: String, help: String = "", labels: [(String, String)] = [], _ v: Double) {
        let key = Metrics.labelText(labels)
        family(name, "gauge", help) { $0.values[key] = v }
    }

    /// A gauge read when metrics are rendered.
    public func gauge(_ name: String, help: String, _ read: @escaping @Sendable () -> Double) {
        gaugeFunctions.withLock { $0.append((name, help, read)) }
    }

    /// Records an observation in a histogram.
    public func observe(_ name: String, help: String = "", labels: [(String, String)] = [], _ v: Double, buckets: [Double] = Metrics.latencyBuckets) {
        let key = Metrics.labelText(labels)
        family(name, "histogram", help) { f in
            var h = f.histograms[key] ?? Histogram(buckets: buckets, counts: Array(repeating: 0, count: buckets.count))
            if let i = h.buckets.firstIndex(where: { v <= $0 }) { h.counts[i] += 1 }
            h.sum += v
            h.count += 1
            f.histograms[key] = h
        }
    }

    /// The current value of a counter or gauge (tests).
    public func value(_ name: String, labels: [(String, String)] = []) -> Double? {
        families.withLock { $0[name]?.values[Metrics.labelText(labels)] }
    }

    /// Text exposition format.
    public func render() -> String {
        var out = ""
        let names = order.withLock { $0 }
        let snapshot = families.withLock { $0 }
        for name in names {
            guard let f = snapshot[name] else { continue }
            if !f.help.isEmpty { out += "# HELP \(name) \(f.help)\n" }
            out += "# TYPE \(name) \(f.type)\n"
            for (k, v) in f.values.sorted(by: { $0.key < $1.key }) {
                out += "\(name)\(k.isEmpty ? "" : "{\(k)}") \(Metrics.number(v))\n"
            }
            for (k, h) in f.histograms.sorted(by: { $0.key < $1.key }) {
                var cumulative: UInt64 = 0
                let prefix = k.isEmpty ? "" : k + ","
                for (i, b) in h.buckets.enumerated() {
                    cumulative += h.counts[i]
                    out += "\(name)_bucket{\(prefix)le=\"\(Metrics.number(b))\"} \(cumulative)\n"
                }
                out += "\(name)_bucket{\(prefix)le=\"+Inf\"} \(h.count)\n"
                out += "\(name)_sum\(k.isEmpty ? "" : "{\(k)}") \(Metrics.number(h.sum))\n"
                out += "\(name)_count\(k.isEmpty ? "" : "{\(k)}") \(h.count)\n"
            }
        }
        for (name, help, read) in gaugeFunctions.withLock({ $0 }) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n\(name) \(Metrics.number(read()))\n"
        }
        return out
    }

    static func labelText(_ labels: [(String, String)]) -> String {
        var out = ""
        for (i, (k, v)) in labels.enumerated() {
            if i > 0 { out += "," }
            out += k
            out += "=\""
            if v.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) {
                for c in v.unicodeScalars {
                    switch c {
                    case "\\": out += "\\\\"
                    case "\"": out += "\\\""
                    case "\n": out += "\\n"
                    default: out.unicodeScalars.append(c)
                    }
                }
            } else {
                out += v
            }
            out += "\""
        }
        return out
    }

    static func number(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}
