// orchestrator-bench: the orchestrator's benchmarks, in-process through the full
// HTTP application (middleware chain, routing, JSON, SQLite in WAL on disk).
//
//   swift build -c release --product orchestrator-bench
//   .build/release/orchestrator-bench [--data 100000] [--algos 100] [--workers 64] [--quick]
//       [--filter-runs 300] [--skip-claims] [--replicas N]
//
// The database is SQLite in a temporary directory, or PostgreSQL when DATABASE_URL is set
// (schema `orchestrator` of that database: give it a fresh database). `--replicas N` (with
// DATABASE_URL) runs N orchestrator instances in this process, each with its own pool and
// claim batcher, on that one database; the claim workers are spread over them (worker w
// uses replica w % N), as a load balancer would spread compute's requests.
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
import TestSupport

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
    // The orchestrator's own settings pass through from the runner's environment.
    var environment = ["DATA_DIR": dir.path]
    for setting in OrchestratorService.settings {
        if let value = ProcessInfo.processInfo.environment[setting.name] { environment[setting.name] = value }
    }
    let options = try OrchestratorService.options(OrchestratorService.config(environment: environment))
    let instance = try await OrchestratorService.instance(options, logger: Logger(service: "bench", level: .error))
    return (Application(testing: instance.definition), instance)
}

/// CPU seconds (user + system) of the PostgreSQL server's processes (`/proc/*/stat`,
/// command `postgres`: the postmaster `BENCH_POSTMASTER_PID` and its children, else every
/// one on the machine), to show where a claim's CPU goes.
func postgresCPUSeconds() -> Double {
    let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
    let postmaster = ProcessInfo.processInfo.environment["BENCH_POSTMASTER_PID"].flatMap { Int($0) }
    var total = 0.0
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where entry.allSatisfy(\.isNumber) {
        guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
              let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")"),
              stat[stat.index(after: open)..<close] == "postgres" else { continue }
        // Fields after the command: state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
        if let postmaster, Int(entry) != postmaster && Int(fields[1]) != postmaster { continue }
        total += (user + system) / ticks
    }
    return total
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

/// Every learnuplet of a filtered list, following the `Link: <…>; rel="next"` pages.
func allLearnuplets(_ app: Application, query: String) async -> [[String: Any]] {
    var path: String? = "/learnuplet?" + query
    var all: [[String: Any]] = []
    while let next = path {
        let r = await app.call(.GET, next, identity: user)
        all += (r.object?["learnuplets"] as? [[String: Any]]) ?? []
        path = r.headers["Link"].flatMap { link in
            link.split(separator: ">").first.map { "/" + $0.dropFirst() }
        }
    }
    return all
}

/// Set once a request has finished.
final class DoneFlag: Sendable { let value = Atomic<Bool>(false) }

// MARK: 0. writer contention (--contention): another user's POST /problem during a big POST /data
if args.contains("--contention") {
    let contentionData = arg("--contention-data", 1_000)
    let contentionAlgos = arg("--contention-algos", 200)
    let dir = tempDir("contention")
    let (app, inst) = try await makeApp(dir)
    must(await post(app, "/problem", #"{"uuid":"P","workflow":"W","test_dataset":[],"size_train_dataset":1}"#), 201, "problem")
    for a in 0..<contentionAlgos { must(await post(app, "/algo", #"{"uuid":"algo-\#(a)","name":"a","problem":"P"}"#), 201, "algo") }
    /// Another user's POST /problem, one after the other while `busy` holds; their latencies in ms.
    func problems(_ prefix: String, while busy: @escaping @Sendable () -> Bool) async -> [Double] {
        var times: [Double] = []
        var k = 0
        repeat {
            let body = #"{"uuid":"\#(prefix)-\#(k)","workflow":"W","test_dataset":[],"size_train_dataset":1}"#
            let start = ContinuousClock.now
            must(await post(app, "/problem", body), 201, "problem")
            times.append(seconds(ContinuousClock.now - start) * 1000)
            k += 1
            try? await Task.sleep(for: .milliseconds(5))
        } while busy() && k < 100_000
        return times.sorted()
    }
    func summary(_ times: [Double]) -> String {
        String(format: "%d × POST /problem: p50 %.2f ms, max %.1f ms", times.count, times[times.count / 2], times.last ?? 0)
    }
    let idle = await problems("idle") { false }
    let idleMore = await problems("idle2") { false }
    line("## Writer contention: \(contentionData) data × \(contentionAlgos) algos (size_train_dataset 1) in one POST /data")
    line("- alone: \(summary((idle + idleMore).sorted()))")
    let done = DoneFlag()
    let ids = (0..<contentionData).map { String(format: "big-%07d", $0) }
    let bigBody = #"{"uuid":\#(jsonList(ids)),"problems":["P"]}"#
    let big = Task { () -> (TestResponse, Double) in
        let start = ContinuousClock.now
        let r = await post(app, "/data", bigBody)
        done.value.store(true, ordering: .sequentiallyConsistent)
        return (r, seconds(ContinuousClock.now - start))
    }
    try? await Task.sleep(for: .milliseconds(2))
    let during = await problems("busy") { !done.value.load(ordering: .sequentiallyConsistent) }
    let (r, t) = await big.value
    line("- POST /data: \(r.status), \(r.object?["new_learnuplets"] as? Int ?? 0) learnuplets, \(String(format: "%.2f", t)) s")
    line("- meanwhile: \(summary(during))")
    await inst.definition.onShutdown()
    try? FileManager.default.removeItem(at: dir)
    exit(0)
}

// MARK: 1. creation
let claimsOnly = args.contains("--claims-only")
if !claimsOnly {
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

}
if args.contains("--only-create") { exit(0) }

// MARK: 2 & 3. 1M learnuplets: filters, then claims
line("")
line("## \(dataCount * algoCount / bigSize) learnuplets (\(dataCount) data × \(algoCount) algos, size_train_dataset \(bigSize))")
let dir = tempDir("big")
let (app, inst) = try await makeApp(dir)
let replicaCount = arg("--replicas", 1)
if replicaCount > 1 && ProcessInfo.processInfo.environment["DATABASE_URL"]?.hasPrefix("postgres") != true {
    print("--replicas needs DATABASE_URL=postgres://… (replicas share one database)")
    exit(2)
}
var started = [(app, inst)]
for _ in 1..<max(1, replicaCount) { started.append(try await makeApp(dir)) }
let replicas = started
let replicaApps = replicas.map(\.0)
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
if !claimsOnly {
let sampleUplet = ((await app.call(.GET, "/learnuplet?algo=algo-7&rank=42", identity: user)).object?["learnuplets"] as? [[String: Any]])?.first
let sampleUUID = sampleUplet?["uuid"] as? String ?? ""
let sampleModelEnd = sampleUplet?["model_end"] as? String ?? ""

line("")
let filterRuns = arg("--filter-runs", 300)
line("### Filtered GET /learnuplet over \(total) learnuplets (in-process, \(filterRuns) runs each)")
line("| filter | results | min ms | p50 ms | p99 ms |")
line("|---|---|---|---|---|")
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
    for _ in 0..<filterRuns {
        var r: TestResponse?
        let t = await time { r = await app.call(.GET, "/learnuplet?\(f)", identity: user) }
        times.append(t * 1000)
        n = (r?.object?["learnuplets"] as? [Any])?.count ?? -1
    }
    times.sort()
    line("| `\(f.count > 48 ? String(f.prefix(45)) + "…" : f)` | \(n) | \(String(format: "%.3f", times[0])) | \(String(format: "%.3f", times[times.count / 2])) | \(String(format: "%.3f", times[times.count * 99 / 100])) |")
}

}

if args.contains("--skip-claims") {
    await inst.definition.onShutdown()
    try? FileManager.default.removeItem(at: dir)
    if let i = args.firstIndex(of: "--out"), i + 1 < args.count {
        try report.withLock { $0 }.joined(separator: "\n").write(toFile: args[i + 1], atomically: true, encoding: .utf8)
    }
    exit(0)
}

// Claims, two workloads on distinct todo learnuplets, with the same 64 workers:
// - fleet: what a compute fleet does. Each worker lists the todo uplets (the first
//   `--window` not yet known to be taken, as GET /learnuplet?status=todo shows them),
//   claims a random one of them; a loser (someone else got it first) lists again and
//   claims another. Attempts ≥ claims; losses come from real races only.
// - contended: every uplet offered twice in shuffled order, so half the attempts lose
//   (the worst case for the losing path).
let claimCount = min(total / 2, arg("--claims", 100_000))
let window = arg("--window", 256)
var ids: [String] = []
for a in 0..<algoCount where ids.count < 2 * claimCount {
    for u in await allLearnuplets(app, query: "algo=algo-\(a)&status=todo") { if let id = u["uuid"] as? String { ids.append(id) } }
}
ids.shuffle()
let fleetIDs = Array(ids.prefix(claimCount))
let twiceIDs = Array(ids.dropFirst(claimCount).prefix(claimCount))

final class Shared: Sendable {
    let next = Atomic<Int>(0)
    let wins = Mutex<[String: Int]>([:])
    let attempts = Atomic<Int>(0)
    let taken: Mutex<(head: Int, taken: [Bool])>
    init(count: Int) { taken = Mutex((0, [Bool](repeating: false, count: count))) }
}
func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}
struct ClaimRun { var cpu = 0.0; var postgresCPU = 0.0; var attempts: Int; var wins: [String: Int]; var seconds: Double; var tx: Int; var batched: Int; var maxBatch: Int }
let jsonHeaders = "application/json"
func claimStatus(_ id: String, _ w: Int) async -> Int {
    let r = await replicaApps[w % replicaApps.count].call(.POST, "/worker/learnuplet/\(id)", identity: compute, headers: ["Content-Type": jsonHeaders], body: Array(#"{"worker":"w\#(w)"}"#.utf8))
    if r.status != 200 && r.status != 400 { print("unexpected \(r.status) \(r.text)") }
    return r.status
}
/// The group-commit counters of every replica, summed (largest batch: the largest of any).
func claimStatistics() async -> (transactions: Int, claims: Int, largestBatch: Int) {
    var total = (transactions: 0, claims: 0, largestBatch: 0)
    for (_, instance) in replicas {
        let one = await instance.store.claimStatistics()
        total = (total.transactions + one.transactions, total.claims + one.claims, max(total.largestBatch, one.largestBatch))
    }
    return total
}
func runClaims(_ ids: [String], fleet: Bool) async -> ClaimRun {
    let offers = fleet ? ids : (ids + ids).shuffled()
    let shared = Shared(count: ids.count)
    let before = await claimStatistics()
    let cpu0 = cpuSeconds()
    let postgres0 = postgresCPUSeconds()
    let t = await time {
        await withTaskGroup(of: Void.self) { group in
            for w in 0..<workers {
                group.addTask {
                    var won: [String] = []
                    var attempts = 0
                    while true {
                        let k: Int
                        if fleet {
                            // List: the first `window` todo uplets as far as this worker can see.
                            guard let pick = shared.taken.withLock({ st -> Int? in
                                while st.head < st.taken.count && st.taken[st.head] { st.head += 1 }
                                var listed = 0, i = st.head
                                while i < st.taken.count && listed < window {
                                    if !st.taken[i] { listed += 1 }
                                    i += 1
                                }
                                if listed == 0 { return nil }
                                var skip = Int.random(in: 0..<listed)  // uniform among the listed
                                i = st.head
                                while true {
                                    if !st.taken[i] { if skip == 0 { return i }; skip -= 1 }
                                    i += 1
                                }
                            }) else { break }
                            k = pick
                        } else {
                            k = shared.next.wrappingAdd(1, ordering: .relaxed).oldValue
                            if k >= offers.count { break }
                        }
                        let status = await claimStatus(offers[k], w)
                        attempts += 1
                        if status == 200 {
                            won.append(offers[k])
                            if fleet { shared.taken.withLock { $0.taken[k] = true } }
                        } else if fleet && status != 400 {
                            shared.taken.withLock { $0.taken[k] = true }  // do not spin on an error
                        }
                    }
                    let mine = won
                    shared.attempts.add(attempts, ordering: .relaxed)
                    shared.wins.withLock { for id in mine { $0[id, default: 0] += 1 } }
                }
            }
        }
    }
    let after = await claimStatistics()
    return ClaimRun(cpu: cpuSeconds() - cpu0, postgresCPU: postgresCPUSeconds() - postgres0, attempts: shared.attempts.load(ordering: .relaxed), wins: shared.wins.withLock { $0 }, seconds: t,
                    tx: after.transactions - before.transactions, batched: after.claims - before.claims, maxBatch: after.largestBatch)
}
func health(_ n: Int) async -> Double {
    let baseline = Shared(count: 0)
    let cpu0 = cpuSeconds()
    defer { line("- (health: \(Int((cpuSeconds() - cpu0) / Double(n) * 1e6)) µs CPU per request)") }
    return await time {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    while baseline.next.wrappingAdd(1, ordering: .relaxed).oldValue < n {
                        _ = await app.call(.GET, "/health", identity: compute)
                    }
                }
            }
        }
    }
}
func report(_ title: String, _ ids: [String], _ r: ClaimRun) {
    line("")
    let backend = ProcessInfo.processInfo.environment["DATABASE_URL"]?.hasPrefix("postgres") == true
        ? "PostgreSQL, \(replicas.count) replica\(replicas.count == 1 ? "" : "s")" : "SQLite"
    line("### Claims (\(backend)), \(title): \(workers) concurrent workers, \(ids.count) todo learnuplets")
    line("- \(r.attempts) claim attempts in \(String(format: "%.2f", r.seconds)) s: \(Int(Double(r.attempts) / r.seconds)) attempts/s, **\(Int(Double(r.wins.count) / r.seconds)) successful claims/s**")
    line("- process CPU (user+sys, both cores): \(Int(r.cpu / Double(r.attempts) * 1e6)) µs per attempt, \(Int(r.cpu / Double(max(1, r.wins.count)) * 1e6)) µs per successful claim")
    if backend != "SQLite" {
        line("- PostgreSQL server CPU: \(Int(r.postgresCPU / Double(r.attempts) * 1e6)) µs per attempt; of the run's CPU, \(Int(100 * r.postgresCPU / max(1e-9, r.postgresCPU + r.cpu))) % in postgres, \(Int(100 * r.cpu / max(1e-9, r.postgresCPU + r.cpu))) % in this process (orchestrator + in-process clients); both cores busy \(Int(100 * (r.postgresCPU + r.cpu) / (2 * r.seconds))) % of the run")
    }
    line("- double assignments: \(r.wins.values.filter { $0 > 1 }.count); uplets never assigned: \(ids.count - r.wins.count)")
    line("- group commit: \(r.tx) write transactions for \(r.batched) claims (mean batch \(String(format: "%.1f", Double(r.batched) / Double(max(1, r.tx)))), largest \(r.maxBatch))")
}
let healthN = 2 * claimCount
let tBase1 = await health(healthN)
let mode = args.firstIndex(of: "--mode").map { args[$0 + 1] } ?? "both"
let fleetRun = mode == "contended" ? nil : await runClaims(fleetIDs, fleet: true)
let twiceRun = mode == "fleet" ? nil : await runClaims(twiceIDs, fleet: false)
let tBase2 = await health(healthN)
if let fleetRun { report("fleet (list todo, claim a random listed one, losers retry; window \(window))", fleetIDs, fleetRun) }
if let twiceRun { report("contended (each uplet offered twice, half lose)", twiceIDs, twiceRun) }
line("- platform baseline, same concurrency: \(healthN) × GET /health (no database), before and after the claims: \(Int(Double(healthN) / tBase1)) and \(Int(Double(healthN) / tBase2)) requests/s")

for (_, instance) in replicas.dropFirst() { await instance.definition.onShutdown() }
await inst.definition.onShutdown()
let size = (try? FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("orchestrator.sqlite").path)[.size] as? Int) ?? 0
line("- database file: \(size / 1_048_576) MiB")
try? FileManager.default.removeItem(at: dir)

if let i = args.firstIndex(of: "--out"), i + 1 < args.count {
    try report.withLock { $0 }.joined(separator: "\n").write(toFile: args[i + 1], atomically: true, encoding: .utf8)
}
