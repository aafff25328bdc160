// tasks-bench: task-manager's benchmarks, in-process through the full HTTP application
// (middleware chain, routing, JSON, SQLite in WAL on disk).
//
//   swift build -c release --product tasks-bench
//   .build/release/tasks-bench [--tasks 10000] [--runs 300] [--export-files 5000] [--export-mb 200]
//       [--latency-ms 100] [--skip-export] [--skip-github]
//
// 1. list / search / paging over 10,000 indexed tasks: p50 / p99 per query kind;
// 2. export of one task with 5,000 files / 200 MB to a counting sink: throughput and peak
//    resident memory (VmHWM) before and after;
// 3. generate-task against the local GitHub (FakeGitHub) with a latency per call: wall
//    time against the sum of the calls' latencies (what one call at a time would take).
import Contracts
import Foundation
import HTTPCore
import ServiceKit
import TaskManager
import TestSupport

let args = CommandLine.arguments
func arg(_ name: String, _ fallback: Int) -> Int {
    if let index = args.firstIndex(of: name), index + 1 < args.count, let value = Int(args[index + 1]) { return value }
    return fallback
}
let taskCount = arg("--tasks", 10_000)
let runs = arg("--runs", 300)
let exportFiles = arg("--export-files", 5_000)
let exportMB = arg("--export-mb", 200)
let latencyMS = arg("--latency-ms", 100)
let caller = Identity(userID: "bench", name: "bench", roles: ["user"])

func makeApp(_ directory: URL, _ extra: [String: String] = [:]) async throws -> (Application, TaskManagerService.Instance) {
    var environment = ["DATA_DIR": directory.path, "INTERNAL_TOKEN": "test-internal-token"]
    for (name, value) in extra { environment[name] = value }
    let options = try TaskManagerService.options(TaskManagerService.config(environment: environment))
    let instance = try await TaskManagerService.instance(options, logger: Logger(service: "bench", level: .error))
    return (Application(testing: instance.definition, name: "task-manager"), instance)
}

func percentile(_ sorted: [Double], _ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }

/// VmHWM (peak resident set) of this process, in MiB.
func peakResidentMiB() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
    }
    return 0
}

/// Counts a streamed body's bytes.
actor CountingSink: BodySink {
    var bytes = 0
    func write(_ chunk: [UInt8]) async throws { bytes += chunk.count }
}

let root = FileManager.default.temporaryDirectory.appendingPathComponent("tasks-bench-\(UUID().uuidString)")
defer { try? FileManager.default.removeItem(at: root) }

// 1. List, search, paging.
do {
    let (app, instance) = try await makeApp(root.appendingPathComponent("list"))
    let words = ["cache", "parser", "network", "storage", "render", "widget", "kernel", "compiler", "scheduler", "queue"]
    let statuses = TaskManagerAPI.TaskStatus.allCases
    let start = Date()
    var batch: [TaskRow] = []
    for index in 0..<taskCount {
        let name = "Task \(index): fix the \(words[index % words.count]) \(words[(index / 10) % words.count])"
        let description = "Repository: org/repo\(index % 97)\nIssue #\(index): the \(words[(index * 7) % words.count]) misbehaves on input \(index)"
        let date = start.addingTimeInterval(Double(index))
        batch.append(TaskRow(id: "task-\(index)", name: name, description: description, status: statuses[index % statuses.count],
                             createdAt: date, updatedAt: date))
        if batch.count == 1000 { try await instance.repository.store.insertIndexRows(batch); batch = [] }
    }
    if !batch.isEmpty { try await instance.repository.store.insertIndexRows(batch) }
    print("indexed \(taskCount) tasks in \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
    let kinds: [(String, String)] = [
        ("first page (20)", "/api/tasks"),
        ("page 250 of 20", "/api/tasks?page=250"),
        ("last page, limit 100", "/api/tasks?page=\(max(1, taskCount / 100))&limit=100"),
        ("status", "/api/tasks?status=ready"),
        ("search, common (10%)", "/api/tasks?search=Scheduler"),
        ("search, rare (1 task)", "/api/tasks?search=input%20\(taskCount / 2)"),
        ("search, none", "/api/tasks?search=zzzz"),
        ("status + search", "/api/tasks?status=draft&search=cache"),
    ]
    print("| query | p50 ms | p99 ms | total |")
    print("|---|---|---|---|")
    for (name, target) in kinds {
        var times: [Double] = []
        var total = -1
        for _ in 0..<runs {
            let begin = ContinuousClock.now
            let response = await app.call(.GET, target, identity: caller)
            let elapsed = ContinuousClock.now - begin
            times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
            if total < 0 { total = (try? response.json(TaskManagerAPI.TaskList.self).total) ?? -1 }
        }
        times.sort()
        print("| \(name) | \(String(format: "%.3f", percentile(times, 0.5))) | \(String(format: "%.3f", percentile(times, 0.99))) | \(total) |")
    }
    await instance.definition.onShutdown()
}

// 2. Export of a large task.
if !args.contains("--skip-export") {
    let (app, instance) = try await makeApp(root.appendingPathComponent("export"))
    let created = try await instance.repository.create(name: "Big", description: "many files", files: [:])
    let directory = instance.repository.root.appendingPathComponent(created.row.id)
    let fileBytes = exportMB * 1024 * 1024 / max(1, exportFiles)
    var generator = SystemRandomNumberGenerator()
    // Half random (incompressible), half text: deflate works on both kinds.
    let random = (0..<fileBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let text = Array(String(repeating: "def test_case(): assert compute(42) == 1764\n", count: fileBytes / 44 + 1).utf8.prefix(fileBytes))
    for index in 0..<exportFiles {
        let url = directory.appendingPathComponent("tests/data/\(index / 100)/file-\(index).bin")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(index % 2 == 0 ? random : text).write(to: url)
    }
    let before = peakResidentMiB()
    let begin = ContinuousClock.now
    let response = await app.respond(to: HTTPRequest(method: .GET, target: "/api/tasks/\(created.row.id)/export",
                                                     headers: [IdentityHeaders.internalToken: "test-internal-token", IdentityHeaders.userID: "bench",
                                                               IdentityHeaders.userName: "bench", IdentityHeaders.roles: "user"]))
    let sink = CountingSink()
    if case .stream(let write) = response.body { try await write(ResponseBodyWriter(sink)) }
    let elapsed = ContinuousClock.now - begin
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let archived = await sink.bytes
    print("export: \(exportFiles) files, \(exportMB) MiB → \(archived / 1024 / 1024) MiB archive in \(String(format: "%.2f", seconds)) s "
          + "(\(String(format: "%.0f", Double(exportMB) / seconds)) MiB/s of input); peak RSS \(String(format: "%.1f", before)) MiB before, "
          + "\(String(format: "%.1f", peakResidentMiB())) MiB after")
    await instance.definition.onShutdown()
}

// 3. generate-task against a slow GitHub.
if !args.contains("--skip-github") {
    let github = try FakeGitHub()
    github.addRepository("octo/big")
    github.addIssue("octo/big", number: 1, title: "Slow thing", body: "It is slow.")
    let head = String(repeating: "d", count: 40)
    var files: [(path: String, status: String)] = (0..<280).map { ("src/module_\($0).py", "modified") }
    for index in 0..<20 {
        files.append(("tests/test_part_\(index).py", "modified"))
        github.addContent("octo/big", path: "tests/test_part_\(index).py", ref: head, text: "def test_\(index)():\n    assert True\n")
    }
    github.addPullRequest("octo/big", .init(number: 2, title: "Speed up", body: "Fixes #1", baseSHA: String(repeating: "b", count: 40),
                                            headSHA: head, files: files))
    github.setLatency(.milliseconds(latencyMS))
    let (app, instance) = try await makeApp(root.appendingPathComponent("github"), ["GITHUB_API_URL": github.url])
    var times: [Double] = []
    var calls = 0
    for _ in 0..<3 {
        github.clearRequests()
        let begin = ContinuousClock.now
        let response = await app.call(.POST, "/api/github/generate-task", identity: caller,
                                      json: TaskManagerAPI.GenerateTaskRequest(repoUrl: "https://github.com/octo/big", prNumber: 2))
        let elapsed = ContinuousClock.now - begin
        precondition(response.status == 200, response.text)
        times.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        calls = github.requests.count
    }
    times.sort()
    print("generate-task (PR, \(files.count) files = 10 pages, 20 test files, issue from 'Fixes #1'), \(latencyMS) ms per GitHub call: "
          + "\(calls) calls, median \(String(format: "%.0f", times[1])) ms wall; one call at a time would take ≥ \(calls * latencyMS) ms")
    await instance.definition.onShutdown()
    await github.stop()
}
