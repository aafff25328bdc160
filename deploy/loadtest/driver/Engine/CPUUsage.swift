import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// CPU time of this process (getrusage) and of the whole machine (`/proc/stat`), read at
/// the start and end of a run: the driver's own share shows it is not the bottleneck, the
/// machine's shows how busy the system under test kept the cores.
struct CPUUsage: Sendable {
    /// This process's user + system CPU seconds.
    var processSeconds: Double
    /// The machine's busy and total jiffies (all cores), nil where `/proc/stat` is absent.
    var machineBusy: UInt64?
    var machineTotal: UInt64?
    /// The 1-minute load average.
    var loadAverage: Double?

    /// The figures now.
    static func now() -> CPUUsage {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        var result = CPUUsage(processSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime))
        if let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
           let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ") {
            let fields = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
            if fields.count >= 5 {
                // user nice system idle iowait irq softirq steal …
                let idle = fields[3] + fields[4]
                let total = fields.prefix(8).reduce(0, +)
                result.machineBusy = total - idle
                result.machineTotal = total
            }
        }
        if let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8),
           let first = text.split(separator: " ").first {
            result.loadAverage = Double(first)
        }
        return result
    }

    init(processSeconds: Double) { self.processSeconds = processSeconds }

    /// The driver's and the machine's use between `start` and `end` over `wall` seconds.
    static func between(_ start: CPUUsage, _ end: CPUUsage, wall: Double) -> DriverUsage {
        let cpuSeconds = end.processSeconds - start.processSeconds
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var busyCores: Double?
        if let busy0 = start.machineBusy, let busy1 = end.machineBusy, let total0 = start.machineTotal, let total1 = end.machineTotal,
           total1 > total0 {
            busyCores = Double(busy1 - busy0) / Double(total1 - total0) * Double(cores)
        }
        return DriverUsage(cpuSeconds: cpuSeconds, cores: wall > 0 ? cpuSeconds / wall : 0, machineCores: cores,
                           machineBusyCores: busyCores, loadAverageStart: start.loadAverage, loadAverageEnd: end.loadAverage)
    }
}
