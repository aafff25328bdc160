import Contracts
import Foundation
import HTTPCore
import ServiceKit
import Subprocess
import TestSupport

/// The real `orchestrator` and `auth-gateway` binaries on free ports, with one gateway
/// user per test identity (alice: user, compute: compute, root: admin), reached with
/// HTTP Basic (user name + API key) under `/orchestrator/`.
final class LiveGateway: @unchecked Sendable {
    let orchestrator: Subprocess
    let gateway: Subprocess
    let gatewayPort: Int
    let keys: [String: String]
    let client = HTTPClient(configuration: .testing())

    static func binary(_ name: String) -> URL { TestSupport.binDir.appendingPathComponent(name) }

    /// Starts both binaries; `orchestratorEnv` adds settings of the orchestrator.
    static func start(dir: URL, orchestratorEnv: [String: String] = [:]) async throws -> LiveGateway {
        let token = "live-\(UUID().uuidString)"
        let gwData = dir.appendingPathComponent("gateway").path
        var keys: [String: String] = [:]
        for (name, role) in [("alice", "user"), ("compute", "compute"), ("root", "admin")] {
            keys[name] = try await TestSupport.createGatewayUser(name, roles: [role], dataDir: gwData)
        }
        let orchPort = try CrashSafetyTests.freePort()
        let gwPort = try CrashSafetyTests.freePort()
        var env = ProcessInfo.processInfo.environment
        env["INTERNAL_TOKEN"] = token
        env["LOG_LEVEL"] = "error"
        env["ACCESS_LOG"] = "0"
        var oenv = env
        oenv["PORT"] = String(orchPort)
        oenv["DATA_DIR"] = dir.appendingPathComponent("orchestrator").path
        oenv["COMPUTE_URL"] = ""
        oenv.merge(orchestratorEnv) { $1 }
        let orchestrator = try await TestSupport.launch(binary("orchestrator"), environment: oenv)
        var genv = env
        genv["PORT"] = String(gwPort)
        genv["DATA_DIR"] = gwData
        genv["ORCHESTRATOR_URL"] = "http://127.0.0.1:\(orchPort)"
        // Hang guards for a loaded machine, not production's limits.
        genv["UPSTREAM_CONNECT_TIMEOUT_MS"] = "120000"
        genv["ORCHESTRATOR_TIMEOUT_S"] = "300"
        let gateway = try await TestSupport.launch(binary("auth-gateway"), environment: genv)
        let live = LiveGateway(orchestrator: orchestrator, gateway: gateway, gatewayPort: gwPort, keys: keys)
        try await live.waitHealthy(port: orchPort)
        // The gateway's /health aggregates every upstream (only the orchestrator runs here).
        try await live.waitHealthy(port: gwPort, path: "/ping")
        return live
    }

    private init(orchestrator: Subprocess, gateway: Subprocess, gatewayPort: Int, keys: [String: String]) {
        self.orchestrator = orchestrator
        self.gateway = gateway
        self.gatewayPort = gatewayPort
        self.keys = keys
    }

    /// Waits until the service on `port` answers `path` with 200 (a hang guard of five
    /// minutes: a start on a loaded machine may take many seconds).
    func waitHealthy(port: Int, path: String = "/health") async throws {
        let healthy = await eventually(timeout: .seconds(300), polling: .milliseconds(25)) { [client] in
            guard let r = try? await client.get("http://127.0.0.1:\(port)\(path)", timeout: .seconds(5)) else { return false }
            _ = try? await r.body.collect(upTo: 1 << 16)
            return r.status.code == 200
        }
        guard healthy else { throw SystemError("service on port \(port) did not answer \(path)", code: 0) }
    }

    /// A request through the gateway as `identity` (nil: no credentials).
    func call(_ method: HTTPMethod, _ path: String, identity: Identity?, body: [UInt8]) async -> TestResponse {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        if let identity, let key = keys[identity.name] {
            headers.add("Authorization", "Basic " + Data("\(identity.name):\(key)".utf8).base64EncodedString())
        }
        let request = HTTPClientRequest(method: method, url: "http://127.0.0.1:\(gatewayPort)/orchestrator\(path)",
                                        headers: headers, body: .bytes(body))
        do {
            let r = try await client.execute(request, timeout: .seconds(300))
            let bytes = try await r.body.collect(upTo: 64 << 20)
            return TestResponse(status: r.status.code, headers: r.headers, body: bytes)
        } catch {
            return TestResponse(status: 599, headers: HTTPHeaders(), body: Array("\(error)".utf8))
        }
    }

    /// Sends both SIGTERM without waiting (for a `defer`, where nothing can be awaited).
    func terminate() {
        for process in [gateway, orchestrator] where process.exitStatus == nil { _ = process.signal(SIGTERM, toGroup: false) }
    }

    /// Stops both (SIGTERM) and waits for them to exit, off the cooperative pool.
    func stop() async {
        for process in [gateway, orchestrator] { await TestSupport.stop(process) }
    }
}
