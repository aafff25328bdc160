import Foundation
import HTTPCore
import JSON
import Synchronization

/// Runs one scenario against the gateway: a session per connection, the fixtures, a
/// warm-up, then `connections` closed loops for the duration; returns what they measured.
public struct LoadRunner: Sendable {
    /// The run's settings.
    public let options: LoadOptions

    /// A runner for `options`.
    public init(options: LoadOptions) { self.options = options }

    /// Runs `scenario`; `progress` prints a line a second to standard error.
    public func run<S: Scenario>(_ scenario: S, progress: Bool = true) async throws -> RunResult {
        let connections = options.connections ?? scenario.defaultConnections
        var configuration = HTTPClientConfiguration()
        configuration.maxConnectionsPerHost = connections + 2
        configuration.timeout = .seconds(300)
        configuration.readTimeout = .seconds(300)
        let client = HTTPClient(configuration: configuration)
        defer { Task { await client.shutdown() } }
        let runID = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let startedAt = ISO8601DateFormatter().string(from: Date())

        let far = ContinuousClock.now + .seconds(86_400 * 365)
        let setup = Worker(index: -1, runID: runID, client: client, baseURL: options.url,
                           headers: ["Session-ID": try await openSession(client)], origin: .now, deadline: far,
                           counters: nil, recording: false)
        let fixture = try await scenario.prepare(setup, options: options)

        let counters = LiveCounters()
        let before = Mutex<CPUUsage?>(nil)
        let gate = StartGate(expected: connections, duration: .milliseconds(Int64(options.duration * 1000))) {
            before.withLock { $0 = CPUUsage.now() }
        }
        var sessions: [String] = []
        for _ in 0..<connections { sessions.append(try await openSession(client)) }
        let reporter = progress ? Task { await ProgressReporter(counters: counters, duration: options.duration, scenario: scenario.name).run() } : nil
        let url = options.url
        let records = await withTaskGroup(of: WorkerRecord.self) { group in
            for (index, session) in sessions.enumerated() {
                group.addTask {
                    let worker = Worker(index: index, runID: runID, client: client, baseURL: url, headers: ["Session-ID": session],
                                        origin: .now, deadline: far, counters: counters, recording: false)
                    await scenario.warmUp(worker, fixture)
                    let (origin, deadline) = await gate.arrive()
                    worker.start(origin: origin, deadline: deadline)
                    await scenario.run(worker, fixture)
                    return WorkerRecord(samples: worker.samples, operations: worker.operations)
                }
            }
            var all: [WorkerRecord] = []
            for await record in group { all.append(record) }
            return all
        }
        let after = CPUUsage.now()
        reporter?.cancel()
        let origin = await gate.origin ?? .now
        let wall = Double(Worker.nanoseconds(ContinuousClock.now - origin)) / 1e9
        // Rates are over the window requests were started in; the CPU over the wall time,
        // which includes the last answers' arrival.
        return summarize(scenario: scenario, records: records, connections: connections, seconds: options.duration, startedAt: startedAt,
                         usage: CPUUsage.between(before.withLock { $0 } ?? after, after, wall: wall))
    }

    /// A new gateway session for the API key (`GET /session` with `API-Key`).
    func openSession(_ client: HTTPClient) async throws -> String {
        let response: HTTPClientResponse
        do {
            response = try await client.execute(HTTPClientRequest(method: .GET, url: options.url + "/session", headers: ["API-Key": options.key]))
        } catch {
            throw LoadTestError.setup("GET \(options.url)/session: \(error)")
        }
        let body = String(decoding: try await response.body.collect(upTo: 1 << 16), as: UTF8.self)
        guard response.status.code == 200 else {
            throw LoadTestError.setup("GET \(options.url)/session with the key: \(response.status.code) \(body)")
        }
        return body.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The result of the workers' records.
    func summarize<S: Scenario>(scenario: S, records: [WorkerRecord], connections: Int, seconds: Double, startedAt: String,
                                usage: DriverUsage) -> RunResult {
        var names: [String] = []
        var byName: [String: [Sample]] = [:]
        var all: [Sample] = []
        for record in records {
            for sample in record.samples {
                let name = record.operations[Int(sample.operation)]
                if byName[name] == nil { names.append(name) }
                byName[name, default: []].append(sample)
                all.append(sample)
            }
        }
        return RunResult(scenario: scenario.name, mix: scenario.mix, url: options.url, connections: connections, seconds: seconds,
                         startedAt: startedAt, total: OperationSummary(name: "all", samples: all, seconds: seconds),
                         operations: names.map { OperationSummary(name: $0, samples: byName[$0] ?? [], seconds: seconds) },
                         timeline: TimelineBucket.buckets(all, seconds: seconds), driver: usage)
    }

    /// Writes `result` as `<out>/<scenario>.json`; returns the path.
    public static func write(_ result: RunResult, to directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("\(result.scenario).json")
        try Data(try JSONWriter.encode(result, capacity: 1 << 16)).write(to: URL(fileURLWithPath: path))
        return path
    }
}
