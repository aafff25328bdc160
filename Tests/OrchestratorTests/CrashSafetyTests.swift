import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HTTPCore
import Subprocess
import Synchronization
import Testing
import TestSupport

/// The real `orchestrator` binary, killed with SIGKILL while writes stream in.
@Suite struct CrashSafetyTests {
    static let token = "crash-test-token"

    /// The binary next to the test bundle (SwiftPM builds it with the tests).
    static func binary() -> URL? {
        let dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let url = dir.appendingPathComponent("orchestrator")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    /// A port that was free a moment ago.
    static func freePort() throws -> Int { TestSupport.freePort() }

    final class Server {
        let process: Subprocess
        let port: Int
        init(binary: URL, dir: URL, port: Int) async throws {
            self.port = port
            var env = ProcessInfo.processInfo.environment
            env["PORT"] = String(port)
            env["HOST"] = "127.0.0.1"
            env["DATA_DIR"] = dir.path
            env["INTERNAL_TOKEN"] = CrashSafetyTests.token
            env["LOG_LEVEL"] = "error"
            env["ACCESS_LOG"] = "0"
            env["COMPUTE_URL"] = ""
            process = try await TestSupport.launch(binary, environment: env)
        }
        /// SIGKILL, then waits (off the cooperative pool) until it is gone.
        func kill9() async {
            await TestSupport.stop(process, signal: SIGKILL)
        }
        /// SIGTERM without waiting (for a `defer`).
        func terminate() {
            if process.exitStatus == nil { _ = process.signal(SIGTERM, toGroup: false) }
        }
    }

    static let client = HTTPClient(configuration: .testing())

    /// One request as the gateway would send it; nil on a transport error.
    static func call(_ method: String, port: Int, _ path: String, json: String? = nil) async -> (status: Int, body: Data)? {
        var headers: HTTPHeaders = ["X-Internal-Token": token, "X-User-Id": "crash-user", "X-User-Roles": "user"]
        if json != nil { headers.add("Content-Type", "application/json") }
        let request = HTTPClientRequest(method: HTTPMethod(rawValue: method), url: "http://127.0.0.1:\(port)\(path)",
                                        headers: headers, body: .bytes(Array((json ?? "").utf8)))
        do {
            let response = try await client.execute(request, timeout: .seconds(300))
            return (response.status.code, Data(try await response.body.collect(upTo: 1 << 26)))
        } catch {
            return nil
        }
    }

    static func waitReady(_ port: Int) async -> Bool {
        await eventually(timeout: .seconds(300)) { await call("GET", port: port, "/health")?.status == 200 }
    }

    static func uuids(_ body: Data?, _ key: String) -> Set<String> {
        guard let body, let o = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
              let list = o[key] as? [[String: Any]] else { return [] }
        return Set(list.compactMap { $0["uuid"] as? String })
    }

    @Test func killDashNineLosesNoAcknowledgedWrite() async throws {
        let binary = try #require(Self.binary(), "build the orchestrator product first (swift build --product orchestrator)")
        let dir = temporaryDirectory()
        let port = try Self.freePort()
        let first = try await Server(binary: binary, dir: dir, port: port)
        defer { first.terminate() }
        try #require(await Self.waitReady(port))
        #expect(await Self.call("POST", port: port, "/problem", json: #"{"uuid":"P0","workflow":"W","test_dataset":[],"size_train_dataset":1}"#)?.status == 201)
        #expect(await Self.call("POST", port: port, "/algo", json: #"{"uuid":"A0","name":"a","problem":"P0"}"#)?.status == 201)

        let acks = Acknowledged()
        let writers = Task {
            await withTaskGroup(of: Void.self) { group in
                for t in 0..<3 {
                    group.addTask {
                        var i = 0
                        while !acks.stop.load(ordering: .relaxed) {
                            let id = "p-\(t)-\(i)"
                            i += 1
                            let r = await Self.call("POST", port: port, "/problem", json: #"{"uuid":"\#(id)","workflow":"W","test_dataset":["t"],"size_train_dataset":3}"#)
                            if r?.status == 201 { acks.problems.withLock { $0.append(id) } }
                            if r == nil { return }
                        }
                    }
                }
                group.addTask {
                    var i = 0
                    while !acks.stop.load(ordering: .relaxed) {
                        let id = "d-\(i)"
                        i += 1
                        let r = await Self.call("POST", port: port, "/data", json: #"{"uuid":["\#(id)"],"problems":["P0"]}"#)
                        if r?.status == 201 { acks.data.withLock { $0.append(id) } }
                        if r == nil { return }
                    }
                }
            }
        }
        #expect(await eventually(timeout: .seconds(300)) {
            acks.problems.withLock { $0.count } >= 150 && acks.data.withLock { $0.count } >= 50
        })
        await first.kill9()
        acks.stop.store(true, ordering: .relaxed)
        await writers.value

        let second = try await Server(binary: binary, dir: dir, port: port)
        defer { second.terminate() }
        try #require(await Self.waitReady(port))
        let problems = Self.uuids(await Self.call("GET", port: port, "/problem")?.body, "problems")
        let datas = Self.uuids(await Self.call("GET", port: port, "/data")?.body, "datas")
        let acked = acks.problems.withLock { $0 }
        let ackedData = acks.data.withLock { $0 }
        #expect(acked.count >= 150)
        #expect(Set(acked).isSubset(of: problems), "lost: \(Set(acked).subtracting(problems).sorted().prefix(5))")
        #expect(Set(ackedData).isSubset(of: datas), "lost: \(Set(ackedData).subtracting(datas).sorted().prefix(5))")
        // Each stored data came with its learnuplet, in the same transaction.
        let uplets = await Self.call("GET", port: port, "/learnuplet?algo=A0")?.body
        let o = uplets.flatMap { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] }
        let trained = Set((o?["learnuplets"] as? [[String: Any]] ?? []).flatMap { $0["train_data"] as? [String] ?? [] })
        #expect(trained == datas)
    }
}

/// Writes the server acknowledged, shared by the writer tasks.
final class Acknowledged: Sendable {
    let problems = Mutex<[String]>([])
    let data = Mutex<[String]>([])
    let stop = Atomic<Bool>(false)
}
