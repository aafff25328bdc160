import Foundation
@testable import LoadTest
import Testing

/// The driver's pure parts: the command line, the percentiles, the per-second buckets and
/// the completion points cut from Python files.
@Suite struct LoadTestTests {
    @Test func optionsParseAndRefuseBadValues() throws {
        let options = try LoadOptions.parse(["orchestrator", "--url", "http://127.0.0.1:9000/", "--key", "k", "--duration", "2.5",
                                             "--connections", "3", "--out", "/tmp/x"])
        #expect(options.scenario == "orchestrator" && options.url == "http://127.0.0.1:9000")
        #expect(options.duration == 2.5 && options.connections == 3 && options.outputDirectory == "/tmp/x" && options.key == "k")
        #expect(throws: LoadTestError.self) { try LoadOptions.parse(["orchestrator"]) }
        #expect(throws: LoadTestError.self) { try LoadOptions.parse(["orchestrator", "--key", "k", "--duration", "0"]) }
        #expect(throws: LoadTestError.self) { try LoadOptions.parse(["orchestrator", "--key", "k", "--bogus", "1"]) }
        #expect(throws: LoadTestError.self) { try LoadOptions.parse(["--key", "k"]) }
        #expect(Set(ScenarioCatalog.names) == ["predictor", "task-manager", "orchestrator", "aibridge-query", "code-runner"])
    }

    @Test func percentilesAreNearestRank() {
        let summary = LatencySummary(sortedNanoseconds: (1...100).map { UInt64($0) * 1_000_000 })
        #expect(summary.p50 == 50 && summary.p95 == 95 && summary.p99 == 99 && summary.max == 100)
        #expect(summary.mean == 50.5)
        let empty = LatencySummary(sortedNanoseconds: [])
        #expect(empty.p99 == 0 && empty.max == 0)
    }

    @Test func samplesFallInTheSecondTheyStarted() {
        let samples = [
            Sample(start: 100, latency: 5_000_000, status: 200, operation: 0, expected: true),
            Sample(start: 1_500_000_000, latency: 7_000_000, status: 500, operation: 0, expected: false),
            Sample(start: 1_900_000_000, latency: 1_000_000, status: 200, operation: 0, expected: true),
        ]
        let buckets = TimelineBucket.buckets(samples, seconds: 3)
        #expect(buckets.map(\.requests) == [1, 2, 0])
        #expect(buckets.map(\.unexpected) == [0, 1, 0])
        #expect(buckets[1].latencyMs.max == 7)
        let summary = OperationSummary(name: "x", samples: samples, seconds: 3)
        #expect(summary.statuses == ["200": 2, "500": 1] && summary.unexpected == 1 && summary.requestsPerSecond == 1)
    }

    @Test func completionPointsHoldOneCursorAfterATypedPrefix() {
        let text = "import os\n\ndef handler(request):\n    response = os.path.join(request, 'x')\n    return response\n"
        let points = PythonCorpus.completionPoints(text, count: 10)
        // Lines whose first identifier has 4 characters or more: import, response =, return (not `def`).
        #expect(points.count == 3)
        for point in points {
            #expect(point.components(separatedBy: "<cursor>").count == 2)
            let line = point.components(separatedBy: "<cursor>")[0].split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
            #expect(line.trimmingCharacters(in: .whitespaces).count == 2, "\(line)")
        }
    }
}
