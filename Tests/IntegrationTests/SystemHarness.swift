import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import HTTPCore
import Subprocess
import TestSupport

/// Starts the real service binaries on free ports and stops them.
final class SystemHarness: @unchecked Sendable {
    struct Service {
        let name: String
        let port: Int
        let process: Subprocess
    }
    static let names = ["predictor", "task-manager", "aibridge-query", "orchestrator", "code-runner", "auth-gateway"]
    let token = "integration-\(UUID().uuidString)"
    let dataRoot: URL
    private(set) var services: [String: Service] = [:]

    /// Where the built executables are.
    static var binDir: URL { TestSupport.binDir }

    init() throws {
        dataRoot = FileManager.default.temporaryDirectory.appendingPathComponent("it-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dataRoot, withIntermediateDirectories: true)
    }

    /// The gateway's setting naming each service's address.
    static let upstreamSettings = ["predictor": "PREDICTOR_URL", "task-manager": "TASK_MANAGER_URL", "aibridge-query": "AIBRIDGE_URL",
                                   "orchestrator": "ORCHESTRATOR_URL", "code-runner": "CODE_RUNNER_URL"]

    /// The environment every service of a test system starts with (the test's own plus
    /// the internal token, quiet logs, generous hang guards, a small predictor corpus made
    /// under `dataRoot` and the project's Python for code-runner's kernels); each service
    /// adds its port and data directory, the gateway its upstreams.
    static func serviceEnvironment(token: String, dataRoot: URL) throws -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["INTERNAL_TOKEN"] = token
        env["LOG_LEVEL"] = "warning"
        // The gateway's limits on its upstreams are production's (a slow upstream is a
        // degraded one); here they are hang guards, generous for a loaded machine.
        env["HEALTH_TIMEOUT_MS"] = "120000"
        env["UPSTREAM_CONNECT_TIMEOUT_MS"] = "120000"
        env["PREDICTOR_TIMEOUT_S"] = "300"
        env["ORCHESTRATOR_TIMEOUT_S"] = "300"
        // The predictor is ready once its base model is built: a small corpus keeps that
        // to a moment (training on the whole standard library is the benchmark's job).
        let corpus = dataRoot.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        try "import os\n\ndef main(path):\n    return os.path.join(path, 'x')\n".write(to: corpus.appendingPathComponent("small.py"), atomically: true, encoding: .utf8)
        env["CORPUS_DIR"] = corpus.path
        // code-runner's kernels: the project's venv (deploy/test sets TEST_PYTHON).
        env["PYTHON"] = ProcessInfo.processInfo.environment["TEST_PYTHON"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("deploy/.venv/bin/python").path
        env["MAX_KERNELS"] = "4"
        return env
    }

    /// A free TCP port on loopback.
    static func freePort() throws -> Int { TestSupport.freePort() }

    /// Starts every service (gateway last, pointed at the others) and waits until each
    /// answers `/health`; stops them all again when one does not.
    func startAll(extraEnvironment: [String: String] = [:]) async throws {
        var ports: [String: Int] = [:]
        for n in Self.names { ports[n] = try Self.freePort() }
        var env = try Self.serviceEnvironment(token: token, dataRoot: dataRoot)
        for (service, setting) in Self.upstreamSettings { env[setting] = "http://127.0.0.1:\(ports[service]!)" }
        for (k, v) in extraEnvironment { env[k] = v }
        do {
            for n in Self.names {
                var e = env
                e["PORT"] = String(ports[n]!)
                e["DATA_DIR"] = dataRoot.appendingPathComponent(n).path
                let process = try await TestSupport.launch(Self.binDir.appendingPathComponent(n), environment: e)
                services[n] = Service(name: n, port: ports[n]!, process: process)
            }
            for n in Self.names { try await Self.waitForHealth(port: ports[n]!, name: n) }
        } catch {
            _ = await stopAll()
            throw error
        }
    }

    /// Waits until the service on `port` answers `/health` with 200. The timeout is a hang
    /// guard: six services starting at once on a loaded two-core machine can take a while.
    static func waitForHealth(port: Int, name: String, timeout: Duration = .seconds(300)) async throws {
        let healthy = await eventually(timeout: timeout, polling: .milliseconds(50)) {
            (try? await SimpleHTTP.get(port: port, path: "/health"))?.status == 200
        }
        guard healthy else { throw HarnessError(message: "\(name) did not become healthy on port \(port)") }
    }

    /// Stops every service (SIGTERM), waits for them to exit off the cooperative pool, and
    /// returns their exit codes; the data is removed unless `keepData` (then `removeData()`
    /// does it).
    func stopAll(keepData: Bool = false) async -> [String: Int32] {
        terminateAll()
        var codes: [String: Int32] = [:]
        for s in services.values { codes[s.name] = await TestSupport.waitForExit(s.process) }
        if !keepData { removeData() }
        return codes
    }

    /// Sends every service SIGTERM without waiting: the guard in a `defer`, where nothing
    /// can be awaited, for a test that ends early (a passing test calls `stopAll()`).
    func terminateAll() {
        for s in services.values where s.process.exitStatus == nil { _ = s.process.signal(SIGTERM, toGroup: false) }
    }

    /// Removes every service's data.
    func removeData() {
        try? FileManager.default.removeItem(at: dataRoot)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A minimal HTTP/1.1 client for integration checks (one request per connection), apart
/// from our own client: plain blocking sockets, on a thread of their own
/// (`TestSupport.blocking`), never on the cooperative pool.
enum SimpleHTTP {
    struct Response: Sendable {
        let status: Int
        let headers: [String: String]
        let body: String
    }

    static func get(port: Int, path: String, headers: [String: String] = [:]) async throws -> Response {
        try await request("GET", port: port, path: path, headers: headers, body: nil)
    }

    static func request(_ method: String, port: Int, path: String, headers: [String: String] = [:], body: String?) async throws -> Response {
        try await TestSupport.blocking { try exchange(method, port: port, path: path, headers: headers, body: body) }
    }

    /// `get` for code already off the cooperative pool (inside `TestSupport.blocking`).
    static func blockingGet(port: Int, path: String, headers: [String: String] = [:]) throws -> Response {
        try exchange("GET", port: port, path: path, headers: headers, body: nil)
    }

    /// One request and its response over a blocking socket (a receive timeout of five
    /// minutes as the hang guard).
    private static func exchange(_ method: String, port: Int, path: String, headers: [String: String], body: String?) throws -> Response {
        let addr = try SocketAddress.resolve(host: "127.0.0.1", port: port)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var tv = timeval(tv_sec: 300, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        guard addr.withSockAddr({ connect(fd, $0, $1) }) == 0 else { throw SystemError("connect") }
        var req = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (k, v) in headers { req += "\(k): \(v)\r\n" }
        if let body { req += "Content-Length: \(body.utf8.count)\r\n" }
        req += "\r\n" + (body ?? "")
        let bytes = Array(req.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buf, buf.count, 0)
            if n <= 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        let text = String(decoding: out, as: UTF8.self)
        guard let sep = text.range(of: "\r\n\r\n") else { throw HarnessError(message: "no response") }
        let lines = text[..<sep.lowerBound].components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var h: [String: String] = [:]
        for l in lines.dropFirst() {
            let p = l.split(separator: ":", maxSplits: 1)
            if p.count == 2 { h[p[0].lowercased()] = p[1].trimmingCharacters(in: .whitespaces) }
        }
        var body = String(text[sep.upperBound...])
        if h["transfer-encoding"] == "chunked" { body = dechunk(body) }
        return Response(status: status, headers: h, body: body)
    }

    static func dechunk(_ s: String) -> String {
        var out = ""
        var rest = Substring(s)
        while let le = rest.range(of: "\r\n") {
            let size = Int(rest[..<le.lowerBound].split(separator: ";")[0], radix: 16) ?? 0
            if size == 0 { break }
            let start = le.upperBound
            let end = rest.utf8.index(start, offsetBy: size)
            out += rest[start..<end]
            rest = rest[rest.index(end, offsetBy: 2)...]
        }
        return out
    }
}

extension SystemHarness {
    /// Runs the gateway's command line on the gateway's database; returns stdout.
    func gatewayCLI(_ args: [String]) async throws -> String {
        try await TestSupport.gatewayCLI(args, dataDir: dataRoot.appendingPathComponent("auth-gateway").path)
    }

    /// Creates a user with roles and returns a new API key for it.
    func createUser(_ name: String, roles: [String]) async throws -> String {
        try await TestSupport.createGatewayUser(name, roles: roles, dataDir: dataRoot.appendingPathComponent("auth-gateway").path)
    }

    /// The gateway's port.
    var gatewayPort: Int { services["auth-gateway"]!.port }
}

/// `Authorization: Basic` for a user name and API key.
func basicAuth(_ user: String, _ key: String) -> String {
    "Basic " + Data("\(user):\(key)".utf8).base64EncodedString()
}
