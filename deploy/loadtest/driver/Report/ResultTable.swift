import Foundation

/// The table printed at the end of a run.
public enum ResultTable {
    /// `result` as aligned text: one row per operation and a total, then the driver's CPU.
    public static func render(_ result: RunResult) -> String {
        let header = ["operation", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "statuses", "unexpected"]
        var rows = [header]
        for summary in result.operations + [result.total] {
            let statuses = summary.statuses.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")
            rows.append([summary.name, String(summary.requests), format(summary.requestsPerSecond, 1),
                         format(summary.latencyMs.p50, 2), format(summary.latencyMs.p95, 2), format(summary.latencyMs.p99, 2),
                         format(summary.latencyMs.max, 1), statuses, String(summary.unexpected)])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = rows.map { row in
            row.enumerated().map { column, cell in
                column == 0 || column == 7 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }
        lines.insert(String(repeating: "-", count: lines[0].count), at: 1)
        lines.insert(String(repeating: "-", count: lines[0].count), at: lines.count - 1)
        let driver = result.driver
        var usage = "driver CPU: \(format(driver.cores, 2)) cores (\(format(driver.cpuSeconds, 2)) s)"
        if let busy = driver.machineBusyCores { usage += "; machine busy: \(format(busy, 2)) of \(driver.machineCores) cores" }
        if let start = driver.loadAverageStart, let end = driver.loadAverageEnd {
            usage += "; load average \(format(start, 2)) → \(format(end, 2))"
        }
        lines.append(usage)
        lines.append("\(result.scenario), \(result.connections) connections, \(result.url): \(result.mix)")
        return lines.joined(separator: "\n")
    }

    static func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
