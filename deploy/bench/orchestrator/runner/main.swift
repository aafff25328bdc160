// orchestrator-bench: the orchestrator's benchmarks, in-process through the full
// HTTP application (middleware chain, routing, JSON, SQLite in WAL on disk).
//
//   swift build -c release --product orchestrator-bench
//   .build/release/orchestrator-bench [--data 100000] [--algos 100] [--workers 64] [--quick]
//
// 1. creation: 100,000 data × 100 algos (size_train_dataset 100), both orders
//    (algos after data: POST /algo cuts; data after algos: POST /data continues);
// 2. claims/s with 64 concurrent workers on the learnuplets (each id offered twice:
//    exactly one claim per uplet must win);
// 3. filtered GET p50/p99 over 1,000,000 learnuplets.
import Contracts
import Foundation
import Orchestrator
import ServiceKit
import Synchronization

let args = CommandLine.arguments
func arg(_ name: String, _ def: Int) -> Int {
    if let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) { return v }
    return def
}
let quick = args.contains("--quick")
let dataCount = arg("--data", quick ? 10_000 : 100_000)
let algoCount = arg("--algos", quick ? 10 : 100)
let workers = arg("--workers", 64)
let bigSize = arg("--big-size", 10)  // learnuplets for the filter benchmark: data × algos / big-size

let user = Identity(userID: "bench", name: "bench", roles: ["user"])
let compute = Identity(userID: "compute", name: "compute", roles: ["compute"])

func makeApp(_ dir: URL) async throws -> (Application, OrchestratorService.Instance) {
    let config = Config(service: "orchestrator",
                        settings: Config.common(service: "orchestrator", port: 8084) + OrchestratorService.settings,
                        environment: ["DATA_DIR": dir.path])
    let instance = try await OrchestratorService.make(config: config, logger: Logger(service: "bench", level: .error))
    return (Application(testing: instance.definition), instance)
}

func post(_ app: Application, _ path: String, _ json: String, as id: Identity = user) async -> TestResponse {
    await app.call(.POST, path, identity: id, headers: ["Content-Type": "application/json"], body: Array(json.utf8))
}

func must(_ r: TestResponse, _ status: Int, _ what: String) {
    if r.status != status {
        print("FAILED \(what): \(r.status) \(r.text.prefix(300))")
        exit(1)
    }
}

func jsonList(_ a: [String]) -> String { "[" + a.map { "\"\($0)\"" }.joined(separator: ",") + "]" }

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

func time(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    return seconds(ContinuousClock.now - start)
}

func tempDir(_ name: String) -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("orch-bench-\(name)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

let report = Mutex<[String]>([])
func line(_ s: String) { print(s); fflush(nil); report.withLock { $0.append(s) } }

let dataIDs = (0..<dataCount).map { String(format: "data-%07d", $0) }

// MARK: 1. creation
line("## Creation: \(dataCount) data × \(algoCount) algos (size_train_dataset 100)")
do {
    let dir = tempDir("create")
    let (app, inst) = try await makeApp(dir)
    must(await post(app, "/problem", #"{"uuid":"P","workflow":"W","test_dataset":["t0"],"size_train_dataset":100}"#), 201, "problem")
    let tData = await time { must(await post(app, "/data", #"{"uuid":\#(jsonList(dataIDs)),"problems":["P"]}"#), 201, "data") }
    line("- POST /data with \(dataCount) uuids (no algo yet): \(String(format: "%.2f", tData)) s")
    var made = 0
    let tAlgos = await time {
        for a in 0..<algoCount {
            let r = await post(app, "/algo", #"{"uuid":"algo-\#(a)","name":"a","problem":"P"}"#)
            must(r, 201, "algo")
            made += r.object?["new_learnuplets"] as? Int ?? 0
        }
    }
    line("- algos after data: \(algoCount) × POST /algo created \(made) learnuplets in \(String(format: "%.2f", tAlgos)) s (\(Int(Double(made) / tAlgos)) learnuplets/s)")
    await inst.definition.onShutdown()
    try? FileManager.default.removeItem(at: dir)
}
do {
    let dir = tempDir("create2")
    let (app, inst) = try await makeApp(dir)
    must(await post(app, "/problem", #"{"uuid":"P","workflow":"W","test_dataset":["t0"],"size_train_dataset":100}"#), 201, "problem")
    for a in 0..<algoCount { must(await post(app, "/algo", #"{"uuid":"algo-\#(a)","name":"a","problem":"P"}"#), 201, "algo") }
    var made = 0
    let t = await time {
        let r = await post(app, "/data", #"{"uuid":\#(jsonList(dataIDs)),"problems":["P"]}"#)
        must(r, 201, "data")
        made = r.object?["new_learnuplets"] as? Int ?? 0
    }
    line("- data after algos: one POST /data of \(dataCount) uuids continued \(algoCount) algos with \(made) learnuplets in \(String(format: "%.2f", t)) s")
    await inst.definition.onShutdown()
    try? FileManager.default.removeItem(at: dir)
}

if args.contains("--only-create") { exit(0) }

// MARK: 2 & 3. 1M learnuplets: filters, then claims
line("")
line("## \(dataCount * algoCount / bigSize) learnuplets (\(dataCount) data × \(algoCount) algos, size_train_dataset \(bigSize))")
let dir = tempDir("big")
let (app, inst) = try await makeApp(dir)
must(await post(app, "/problem", #"{"uuid":"P","workflow":"W","test_dataset":["t0"],"size_train_dataset":\#(bigSize)}"#), 201, "problem")
must(await post(app, "/data", #"{"uuid":\#(jsonList(dataIDs)),"problems":["P"]}"#), 201, "data")
var total = 0
let tBig = await time {
    for a in 0..<algoCount {
        let r = await post(app, "/algo", #"{"uuid":"algo-\#(a)","name":"a","problem":"P"}"#)
        must(r, 201, "algo")
        total += r.object?["new_learnuplets"] as? Int ?? 0
    }
}
line("- created \(total) learnuplets with \(algoCount) × POST /algo in \(String(format: "%.2f", tBig)) s")

// Claim some so that worker/status filters have something to find.
let perAlgo = dataCount / bigSize
for a in 0..<20 {
    let id = await app.call(.GET, "/learnuplet?algo=algo-\(a)&rank=\(a)", identity: user)
    let list = (id.object?["learnuplets"] as? [[String: Any]]) ?? []
    if let u = list.first?["uuid"] as? String { must(await post(app, "/worker/learnuplet/\(u)", #"{"worker":"bench-w\#(a % 4)"}"#, as: compute), 200, "claim") }
}
let sampleUplet = ((await app.call(.GET, "/learnuplet?algo=algo-7&rank=42", identity: user)).object?["learnuplets"] as? [[String: Any]])?.first
let sampleUUID = sampleUplet?["uuid"] as? String ?? ""
let sampleModelEnd = sampleUplet?["model_end"] as? String ?? ""

line("")
line("### Filtered GET /learnuplet over \(total) learnuplets (in-process, 300 runs each)")
line("| filter | results | p50 ms | p99 ms |")
line("|---|---|---|---|")
let filters: [String] = [
    "uuid=\(sampleUUID)",
    "algo=algo-7&rank=42",
    "algo=algo-3",
    "worker=bench-w1",
    "status=pending",
    "model_start=algo-5",
    "model_end=\(sampleModelEnd)",
    "problem=P&rank=\(perAlgo / 2)",
    "rank=\(perAlgo - 1)&status=todo",
    "train_data=data-0004242&algo=algo-9",
    "status=done",
    "colour=blue",
]
for f in filters {
    var times: [Double] = []
    var n = 0
    for _ in 0..<300 {
        var r: TestResponse?
        let t = await time { r = await app.call(.GET, "/learnuplet?\(f)", identity: user) }
        times.append(t * 1000)
        n = (r?.object?["learnuplets"] as? [Any])?.count ?? -1
    }
    times.sort()
    line("| `\(f.count > 48 ? String(f.prefix(45)) + "…" : f)` | \(n) | \(String(format: "%.3f", times[times.count / 2])) | \(String(format: "%.3f", times[times.count * 99 / 100])) |")
}

// Claims: 64 workers, every todo uplet offered twice (shuffled), exactly one win each.
let claimCount = min(total, arg("--claims", 200_000))
var ids: [String] = []
for a in 0..<algoCount where ids.count < claimCount {
    let r = await app.call(.GET, "/learnuplet?algo=algo-\(a)&status=todo", identity: user)
    for u in (r.object?["learnuplets"] as? [[String: Any]]) ?? [] { if let id = u["uuid"] as? String { ids.append(id) } }
}
ids = Array(ids.prefix(claimCount))
let offers = (ids + ids).shuffled()
final class Shared: Sendable {
    let next = Atomic<Int>(0)
    let wins = Mutex<[String: Int]>([:])
    let attempts = Atomic<Int>(0)
}
let shared = Shared()
let tClaims = await time {
    await withTaskGroup(of: Void.self) { group in
        for w in 0..<workers {
            group.addTask {
                var won: [String] = []
                while true {
                    let i = shared.next.wrappingAdd(1, ordering: .relaxed).oldValue
                    if i >= offers.count { break }
                    let r = await app.call(.POST, "/worker/learnuplet/\(offers[i])", identity: compute,
                                           headers: ["Content-Type": "application/json"], body: Array(#"{"worker":"w\#(w)"}"#.utf8))
                    shared.attempts.add(1, ordering: .relaxed)
                    if r.status == 200 { won.append(offers[i]) } else if r.status != 400 { print("unexpected \(r.status) \(r.text)") }
                }
                let mine = won
                shared.wins.withLock { for id in mine { $0[id, default: 0] += 1 } }
            }
        }
    }
}
let wins = shared.wins.withLock { $0 }
// Baseline: the same number of in-process requests that touch no database.
let baseline = Shared()
let tBase = await time {
    await withTaskGroup(of: Void.self) { group in
        for _ in 0..<workers {
            group.addTask {
                while baseline.next.wrappingAdd(1, ordering: .relaxed).oldValue < offers.count {
                    _ = await app.call(.GET, "/health", identity: compute)
                }
            }
        }
    }
}
let doubles = wins.values.filter { $0 > 1 }.count
let missing = ids.count - wins.count
line("")
line("### Claims: \(workers) concurrent workers, \(ids.count) todo learnuplets each offered twice")
line("- \(offers.count) claim attempts in \(String(format: "%.2f", tClaims)) s: \(Int(Double(offers.count) / tClaims)) attempts/s, \(Int(Double(wins.count) / tClaims)) successful claims/s")
line("- double assignments: \(doubles); uplets never assigned: \(missing)")
line("- platform baseline, same concurrency: \(offers.count) × GET /health (no database) in \(String(format: "%.2f", tBase)) s: \(Int(Double(offers.count) / tBase)) requests/s")

await inst.definition.onShutdown()
let size = (try? FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("orchestrator.sqlite").path)[.size] as? Int) ?? 0
line("- database file: \(size / 1_048_576) MiB")
try? FileManager.default.removeItem(at: dir)

if let i = args.firstIndex(of: "--out"), i + 1 < args.count {
    try report.withLock { $0 }.joined(separator: "\n").write(toFile: args[i + 1], atomically: true, encoding: .utf8)
}
