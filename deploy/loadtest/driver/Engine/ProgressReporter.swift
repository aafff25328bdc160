import Foundation

/// Prints a line a second while the run goes: elapsed time, requests, the last second's
/// rate and the unexpected answers so far.
struct ProgressReporter: Sendable {
    let counters: LiveCounters
    let duration: Double
    let scenario: String

    /// Prints until cancelled.
    func run() async {
        var last = 0
        var second = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            if Task.isCancelled { break }
            second += 1
            let done = counters.completed.load(ordering: .relaxed)
            let unexpected = counters.unexpected.load(ordering: .relaxed)
            let line = String(format: "[%@ %3d/%.0f s] %8d requests  %7d req/s  %d unexpected\n",
                              scenario, second, duration, done, done - last, unexpected)
            FileHandle.standardError.write(Data(line.utf8))
            last = done
        }
    }
}
