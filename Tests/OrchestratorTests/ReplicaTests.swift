import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HTTPCore
import Storage
import Subprocess
import Synchronization
import Testing
import TestSupport

/// Two real `orchestrator` binaries on one PostgreSQL database (a fresh one per test,
/// `TestPostgresDatabase`), reached directly with the internal token as the gateway would.
@Suite struct ReplicaTests {
    static let token = "replica-test-token"

    /// One replica: the binary on a free port, on `databaseURL`.
    final class Replica: Sendable {
        let process: Subprocess
        let port: Int

        init(databaseURL: String, computeURL: String = "", dir: URL = temporaryDirectory()) async throws {
            port = TestSupport.freePort()
            var env = ProcessInfo.processInfo.environment
            env["PORT"] = String(port)
            env["HOST"] = "127.0.0.1"
            env["DATA_DIR"] = dir.path
            env["DATABASE_URL"] = databaseURL
            env["INTERNAL_TOKEN"] = ReplicaTests.token
            env["LOG_LEVEL"] = "error"
            env["ACCESS_LOG"] = "0"
            env["COMPUTE_URL"] = computeURL
            // Quick retries; a push timeout far beyond any stall of a loaded machine, so a
            // slow answer is never retried into a second push (pushes are counted exactly).
            env["OUTBOX_RETRY_BASE_MS"] = "20"
            env["OUTBOX_RETRY_MAX_S"] = "0.2"
            env["COMPUTE_TIMEOUT_S"] = "300"
            let binary = TestSupport.binDir.appendingPathComponent("orchestrator")
            process = try await TestSupport.launch(binary, environment: env)
        }

        /// Waits until it answers `/health` (a hang guard of five minutes).
        func ready() async -> Bool {
            await eventually(timeout: .seconds(300)) { await self.call("GET", "/health")?.status == 200 }
        }

        /// One request as the gateway would send it, with `roles`; nil on a transport error.
        func call(_ method: String, _ path: String, json: String? = nil, roles: String = "user") async -> (status: Int, body: Data)? {
            var headers: HTTPHeaders = ["X-Internal-Token": ReplicaTests.token, "X-User-Id": "replica-user", "X-User-Roles": roles]
            if json != nil { headers.add("Content-Type", "application/json") }
            let request = HTTPClientRequest(method: HTTPMethod(rawValue: method), url: "http://127.0.0.1:\(port)\(path)",
                                            headers: headers, body: .bytes(Array((json ?? "").utf8)))
            do {
                let response = try await ReplicaTests.client.execute(request, timeout: .seconds(300))
                return (response.status.code, Data(try await response.body.collect(upTo: 1 << 26)))
            } catch {
                return nil
            }
        }

        /// `POST /worker/learnuplet/{id}` as compute worker `worker`: its status, nil on a transport error.
        func claim(_ id: String, worker: String) async -> Int? {
            await call("POST", "/worker/learnuplet/\(id)", json: #"{"worker":"\#(worker)"}"#, roles: "compute")?.status
        }

        /// The documents of `collection` matching `query` (one page of up to 10,000).
        func documents(_ collection: String, _ query: String = "") async -> [[String: Any]] {
            guard let body = await call("GET", "/\(collection)?limit=10000" + (query.isEmpty ? "" : "&" + query))?.body,
                  let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return [] }
            return object[collection + "s"] as? [[String: Any]] ?? []
        }

        /// SIGKILL, then waits until it is gone.
        func kill9() async { await TestSupport.stop(process, signal: SIGKILL) }

        /// SIGTERM and wait.
        func stop() async { await TestSupport.stop(process) }
    }

    static let client = HTTPClient(configuration: .testing())

    /// A fresh database and two replicas on it; `body`, then both stopped and the database dropped.
    func withReplicas(computeURL: String = "", _ body: (TestPostgresDatabase, Replica, Replica) async throws -> Void) async throws {
        let database = try TestPostgresDatabase()
        defer { database.remove() }
        // The first one migrates; the second finds the schema current.
        let first = try await Replica(databaseURL: database.url, computeURL: computeURL)
        let second = try await Replica(databaseURL: database.url, computeURL: computeURL)
        do {
            try #require(await first.ready())
            try #require(await second.ready())
            try await body(database, first, second)
        } catch {
            await first.stop()
            await second.stop()
            throw error
        }
        await first.stop()
        await second.stop()
    }

    /// A problem of `count` data with one algo: `count` todo learnuplets (one data each);
    /// their uuids.
    func learnuplets(_ count: Int, on replica: Replica, algo: String = "A") async throws -> [String] {
        #expect(await replica.call("POST", "/problem", json: #"{"uuid":"P-\#(algo)","workflow":"W","test_dataset":[],"size_train_dataset":1}"#)?.status == 201)
        let data = (0..<count).map { "\"d-\(algo)-\($0)\"" }.joined(separator: ",")
        #expect(await replica.call("POST", "/data", json: #"{"uuid":[\#(data)],"problems":["P-\#(algo)"]}"#)?.status == 201)
        #expect(await replica.call("POST", "/algo", json: #"{"uuid":"\#(algo)","name":"a","problem":"P-\#(algo)"}"#)?.status == 201)
        let ids = await replica.documents("learnuplet", "algo=\(algo)").compactMap { $0["uuid"] as? String }
        try #require(ids.count == count)
        return ids
    }

    @Test func sixtyFourWorkersAcrossTwoReplicasClaimEachLearnupletExactlyOnce() async throws {
        try await withReplicas { _, first, second in
            let ids = try await learnuplets(400, on: first)
            // Every learnuplet offered twice, once through each replica, the two offers
            // adjacent so that both replicas' batches race for the same rows.
            var offers: [(id: String, replica: Replica)] = []
            for id in ids.shuffled() {
                let pair = Bool.random() ? [first, second] : [second, first]
                offers += pair.map { (id, $0) }
            }
            let race = ClaimRace()
            let offered = offers
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<64 {
                    group.addTask {
                        while true {
                            let k = race.next.wrappingAdd(1, ordering: .relaxed).oldValue
                            if k >= offered.count { return }
                            let status = await offered[k].replica.claim(offered[k].id, worker: "w\(worker)")
                            if status == 200 {
                                race.wins.withLock { $0[offered[k].id, default: []].append("w\(worker)") }
                            } else if status != 400 {
                                race.failures.withLock { $0.append(status) }
                            }
                        }
                    }
                }
            }
            let won = race.wins.withLock { $0 }
            let failures = race.failures.withLock { $0 }
            #expect(failures.isEmpty, "answers other than 200 and 400: \(failures.prefix(5))")
            #expect(won.values.filter { $0.count > 1 }.isEmpty, "double claims: \(won.filter { $0.value.count > 1 }.prefix(5))")
            #expect(Set(won.keys) == Set(ids), "never claimed: \(Set(ids).subtracting(won.keys).count)")
            // What each replica reads back: every learnuplet pending, with its winner.
            for replica in [first, second] {
                let stored = await replica.documents("learnuplet", "algo=A")
                #expect(stored.count == ids.count)
                for document in stored {
                    let id = document["uuid"] as? String ?? ""
                    #expect(document["status"] as? String == "pending")
                    #expect(document["worker"] as? String == won[id]?.first, "\(id)")
                }
            }
        }
    }

    @Test func outboxMessagesAreDeliveredOnceWithTwoReplicasRunning() async throws {
        let compute = try FakeCompute(up: true)
        defer { Task { await compute.stop() } }
        try await withReplicas(computeURL: compute.url) { database, first, second in
            #expect(await first.call("POST", "/problem", json: #"{"uuid":"P","workflow":"W","test_dataset":[],"size_train_dataset":1}"#)?.status == 201)
            #expect(await second.call("POST", "/data", json: #"{"uuid":["d1","d2"],"problems":["P"]}"#)?.status == 201)
            // 40 algos through both replicas at once: each readies its rank 0 (one push each).
            let algos = (0..<40).map { "A\($0)" }
            await withTaskGroup(of: Void.self) { group in
                for (index, algo) in algos.enumerated() {
                    group.addTask {
                        let replica = index % 2 == 0 ? first : second
                        #expect(await replica.call("POST", "/algo", json: #"{"uuid":"\#(algo)","name":"a","problem":"P"}"#)?.status == 201)
                    }
                }
            }
            let connection = try PostgresConnection(url: database.url, searchPath: "orchestrator")
            defer { connection.close() }
            let outbox = { () -> Int in (try? connection.queryOne("SELECT COUNT(*) FROM outbox")?.get(0, as: Int.self)) ?? -1 }
            #expect(await eventually { outbox() == 0 })
            let pushed = await compute.bodies().compactMap { $0["algo"] as? String }
            #expect(pushed.count == algos.count, "pushes: \(pushed.count)")
            #expect(Set(pushed) == Set(algos))
            #expect(await compute.state.paths().allSatisfy { $0 == "/learn" })
        }
    }

    @Test func killDashNineOfOneReplicaLosesNoAcknowledgedWriteAndTheOtherKeepsServing() async throws {
        try await withReplicas { _, first, second in
            let ids = try await learnuplets(2_000, on: first)
            let acks = ReplicaAcknowledgements()
            let offers = ids.shuffled()
            let race = ClaimRace()
            let load = Task {
                await withTaskGroup(of: Void.self) { group in
                    // Writers: new problems through both replicas.
                    for writer in 0..<4 {
                        group.addTask {
                            var i = 0
                            while !acks.stop.load(ordering: .relaxed) {
                                let replica = (writer + i) % 2 == 0 ? first : second
                                let id = "p-\(writer)-\(i)"
                                i += 1
                                let r = await replica.call("POST", "/problem", json: #"{"uuid":"\#(id)","workflow":"W","test_dataset":["t"],"size_train_dataset":3}"#)
                                if r?.status == 201 { acks.record(problem: id, onSecond: replica === second) }
                                if r == nil && replica === second { acks.secondFailed.store(true, ordering: .relaxed) }
                            }
                        }
                    }
                    // Claimers: each learnuplet offered once, through either replica.
                    for worker in 0..<16 {
                        group.addTask {
                            while !acks.stop.load(ordering: .relaxed) {
                                let k = race.next.wrappingAdd(1, ordering: .relaxed).oldValue
                                if k >= offers.count { return }
                                let replica = Bool.random() ? first : second
                                let status = await replica.claim(offers[k], worker: "w\(worker)")
                                if status == 200 { acks.record(claim: offers[k], worker: "w\(worker)") }
                                if status == nil && replica === second { acks.secondFailed.store(true, ordering: .relaxed) }
                            }
                        }
                    }
                }
            }
            try #require(await eventually { acks.problemCount >= 100 && acks.claimCount >= 100 })
            await first.kill9()
            let afterKill = acks.secondProblemCount
            // The survivor keeps acknowledging writes.
            #expect(await eventually { acks.secondProblemCount >= afterKill + 50 })
            acks.stop.store(true, ordering: .relaxed)
            await load.value
            let survivorFailed = acks.secondFailed.load(ordering: .relaxed)
            #expect(!survivorFailed, "a request to the surviving replica failed")

            let problems = Set(await second.documents("problem").compactMap { $0["uuid"] as? String })
            let acked = acks.problems.withLock { $0 }
            #expect(Set(acked).isSubset(of: problems), "lost: \(Set(acked).subtracting(problems).sorted().prefix(5))")
            let claims = acks.claims.withLock { $0 }
            let stored = await second.documents("learnuplet", "algo=A")
            let workers = Dictionary(uniqueKeysWithValues: stored.map { ($0["uuid"] as? String ?? "", $0["worker"] as? String) })
            for (id, worker) in claims {
                #expect(workers[id] == worker, "claim of \(id) by \(worker) acknowledged, stored: \(String(describing: workers[id]))")
            }
        }
    }
}

/// Claims offered to workers in turn, and what came of them.
final class ClaimRace: Sendable {
    /// The next offer to take.
    let next = Atomic<Int>(0)
    /// The workers each uplet was granted to.
    let wins = Mutex<[String: [String]]>([:])
    /// Answers other than 200 and 400 (nil: no answer).
    let failures = Mutex<[Int?]>([])
}

/// Writes and claims the replicas acknowledged, shared by the load's tasks.
final class ReplicaAcknowledgements: Sendable {
    let problems = Mutex<[String]>([])
    let secondProblems = Atomic<Int>(0)
    let claims = Mutex<[String: String]>([:])
    let stop = Atomic<Bool>(false)
    let secondFailed = Atomic<Bool>(false)

    func record(problem: String, onSecond: Bool) {
        problems.withLock { $0.append(problem) }
        if onSecond { secondProblems.add(1, ordering: .relaxed) }
    }

    func record(claim: String, worker: String) {
        claims.withLock { $0[claim] = worker }
    }

    var problemCount: Int { problems.withLock { $0.count } }
    var secondProblemCount: Int { secondProblems.load(ordering: .relaxed) }
    var claimCount: Int { claims.withLock { $0.count } }
}
