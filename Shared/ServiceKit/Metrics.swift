import Foundation
import Synchronization

/// Prometheus metrics: counters, gauges and histograms with labels, rendered in the
/// text exposition format at `GET /metrics`. Hot paths resolve a series once
/// (`counter(...)`, `histogram(...)`) and keep the handle.
public final class Metrics: Sendable {
    private struct Family {
        var type: String
        var help: String
        var cells: [String: MetricCell] = [:]          // label text -> counter or gauge
        var histograms: [String: HistogramCell] = [:]  // label text -> histogram
    }
    private let families = Mutex<(byName: [String: Family], order: [String])>(([:], []))
    /// Series read when rendered: (name, help, type, read).
    private let functions = Mutex<[(String, String, String, @Sendable () -> Double)]>([])
    /// Default latency buckets in seconds.
    public static let latencyBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    public init() {}

    private func withFamily<T>(_ name: String, _ type: String, _ help: String, _ body: (inout Family) -> T) -> T {
        families.withLock { f in
            if f.byName[name] == nil {
                f.byName[name] = Family(type: type, help: help)
                f.order.append(name)
            }
            return body(&f.byName[name]!)
        }
    }

    /// The counter series `name{labels}`, made on first use.
    public func counter(_ name: String, help: String = "", labels: [(String, String)] = []) -> MetricCell {
        let key = Metrics.labelText(labels)
        return withFamily(name, "counter", help) { f in
            if let c = f.cells[key] { return c }
            let c = MetricCell()
            f.cells[key] = c
            return c
        }
    }

    /// The gauge series `name{labels}`, made on first use.
    public func gaugeCell(_ name: String, help: String = "", labels: [(String, String)] = []) -> MetricCell {
        let key = Metrics.labelText(labels)
        return withFamily(name, "gauge", help) { f in
            if let c = f.cells[key] { return c }
            let c = MetricCell()
            f.cells[key] = c
            return c
        }
    }

    /// The histogram series `name{labels}`, made on first use.
    public func histogram(_ name: String, help: String = "", labels: [(String, String)] = [], buckets: [Double] = Metrics.latencyBuckets) -> HistogramCell {
        let key = Metrics.labelText(labels)
        return withFamily(name, "histogram", help) { f in
            if let h = f.histograms[key] { return h }
            let h = HistogramCell(buckets: buckets)
            f.histograms[key] = h
            return h
        }
    }

    /// Adds to a counter.
    public func increment(_ name: String, help: String = "", labels: [(String, String)] = [], by v: Double = 1) {
        counter(name, help: help, labels: labels).add(v)
    }

    /// Sets a gauge.
    public func set(_ name: String, help: String = "", labels: [(String, String)] = [], _ v: Double) {
        gaugeCell(name, help: help, labels: labels).set(v)
    }

    /// A gauge read when metrics are rendered.
    public func gauge(_ name: String, help: String, _ read: @escaping @Sendable () -> Double) {
        functions.withLock { $0.append((name, help, "gauge", read)) }
    }

    /// A counter read when metrics are rendered (one kept elsewhere, e.g. the server's).
    public func counter(_ name: String, help: String, read: @escaping @Sendable () -> Double) {
        functions.withLock { $0.append((name, help, "counter", read)) }
    }

    /// Records an observation in a histogram.
    public func observe(_ name: String, help: String = "", labels: [(String, String)] = [], _ v: Double, buckets: [Double] = Metrics.latencyBuckets) {
        histogram(name, help: help, labels: labels, buckets: buckets).observe(v)
    }

    /// The current value of a counter or gauge (tests).
    public func value(_ name: String, labels: [(String, String)] = []) -> Double? {
        families.withLock { $0.byName[name]?.cells[Metrics.labelText(labels)] }?.value
    }

    /// Text exposition format.
    public func render() -> String {
        var out = ""
        let (byName, order) = families.withLock { ($0.byName, $0.order) }
        for name in order {
            guard let f = byName[name] else { continue }
            if !f.help.isEmpty { out += "# HELP \(name) \(f.help)\n" }
            out += "# TYPE \(name) \(f.type)\n"
            for (k, c) in f.cells.sorted(by: { $0.key < $1.key }) {
                out += "\(name)\(k.isEmpty ? "" : "{\(k)}") \(Metrics.number(c.value))\n"
            }
            for (k, cell) in f.histograms.sorted(by: { $0.key < $1.key }) {
                let h = cell.snapshot
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
        for (name, help, type, read) in functions.withLock({ $0 }) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(Metrics.number(read()))\n"
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

/// One counter or gauge series.
public final class MetricCell: Sendable {
    private let cell = Mutex<Double>(0)
    /// Adds `v`.
    public func add(_ v: Double = 1) { cell.withLock { $0 += v } }
    /// Sets the value.
    public func set(_ v: Double) { cell.withLock { $0 = v } }
    /// The value now.
    public var value: Double { cell.withLock { $0 } }
}

/// One histogram series.
public final class HistogramCell: Sendable {
    struct State {
        var buckets: [Double]
        var counts: [UInt64]
        var sum = 0.0
        var count: UInt64 = 0
    }
    private let state: Mutex<State>

    init(buckets: [Double]) {
        state = Mutex(State(buckets: buckets, counts: Array(repeating: 0, count: buckets.count)))
    }

    /// Records one observation.
    public func observe(_ v: Double) {
        state.withLock { s in
            if let i = s.buckets.firstIndex(where: { v <= $0 }) { s.counts[i] += 1 }
            s.sum += v
            s.count += 1
        }
    }

    var snapshot: State { state.withLock { $0 } }
}
