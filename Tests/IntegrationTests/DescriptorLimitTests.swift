import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import HTTPCore
import Subprocess
import Testing
import TestSupport

/// Issue 10, finding 2: the real gateway under `RLIMIT_NOFILE` 80 with 120 clients
/// coming and going. It used to spin on `accept` (EMFILE left the connections in the
/// backlog) and die with SIGILL within seconds: libdispatch's thread-pool monitor opens
/// `/proc/<tid>/stat` every second and traps when that `open` fails. Now the sockets stay
/// below the descriptor reserve and the connections beyond it are answered 503.
@Suite(.serialized) struct DescriptorLimitTests {
    @Test func theGatewayAtItsDescriptorLimitAnswers503AndStaysUp() async throws {
        let port = TestSupport.freePort(), metricsPort = TestSupport.freePort()
        let refusing = TestSupport.RefusingPort()  // the upstreams: nothing listens there
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("fd-limit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        var spec = ProcessSpec(executable: SystemHarness.binDir.appendingPathComponent("auth-gateway").path)
        spec.environment = ["PORT": String(port), "DATA_DIR": data.path, "IDLE_TIMEOUT_S": "1", "ACCESS_LOG": "0", "LOG_LEVEL": "error",
                            "METRICS_PORT": String(metricsPort), "INTERNAL_TOKEN": "fd-limit-test"]
        for name in ["PREDICTOR_URL", "TASK_MANAGER_URL", "AIBRIDGE_URL", "ORCHESTRATOR_URL", "CODE_RUNNER_URL"] {
            spec.environment[name] = "http://127.0.0.1:\(refusing.port)"
        }
        spec.standardOutput = .null
        spec.standardError = .null
        spec.limits.openFiles = 80
        let gateway = try await Subprocess.spawn(spec)
        defer { _ = gateway.kill() }
        #expect(await Self.answers(port: port, path: "/ping", within: 30) == 200)

        let outcome = await Self.churn(port: port, clients: 120, seconds: 8)
        #expect(gateway.exitStatus == nil, "the gateway died: \(String(describing: gateway.exitStatus))")
        #expect(outcome.refused > 0, "no connection was answered 503")
        #expect(outcome.served > 0, "no request was answered at all")

        // Once the clients are gone, it serves again, and its metrics (on METRICS_PORT,
        // the only place an anonymous scraper can read them) count the refusals.
        #expect(await Self.answers(port: port, path: "/ping", within: 10) == 200)
        let metrics = try await SimpleHTTP.get(port: metricsPort, path: "/metrics")
        #expect(metrics.status == 200)
        let refusals = metrics.body.split(separator: "\n").first { $0.hasPrefix("http_connections_refused_total ") }
        #expect(refusals.flatMap { Double($0.split(separator: " ")[1]) }.map { $0 > 0 } == true, "\(String(describing: refusals))")
        #expect(try await SimpleHTTP.get(port: port, path: "/metrics").status == 404)

        #expect(gateway.terminate())
        #expect(await gateway.wait() == .exited(code: 0))
    }

    /// The status of `GET path`, retried until one arrives within `seconds`.
    static func answers(port: Int, path: String, within seconds: Int) async -> Int? {
        await offThePool {
            let deadline = Date().addingTimeInterval(TimeInterval(seconds))
            while Date() < deadline {
                if let r = try? SimpleHTTP.blockingGet(port: port, path: path), r.status == 200 { return r.status }
                usleep(100_000)
            }
            return nil
        }
    }

    /// Keeps `clients` connections open for `seconds`, sending requests on some each
    /// round and replacing those the server closes; counts the answers by kind.
    static func churn(port: Int, clients: Int, seconds: Double) async -> (served: Int, refused: Int) {
        await offThePool {
            let requests = ["GET /ping HTTP/1.1\r\nHost: a\r\n\r\n", "GET /health HTTP/1.1\r\nHost: a\r\n\r\n",
                            "GET /predict HTTP/1.1\r\nHost: a\r\nAPI-Key: cbk_unknown\r\n\r\n",
                            "GET /session HTTP/1.1\r\nHost: a\r\nAPI-Key: cbk_unknown\r\n\r\n"].map { Array($0.utf8) }
            var sockets: [Int32] = []
            var served = 0, refused = 0, round = 0
            var buffer = [UInt8](repeating: 0, count: 16384)
            let end = Date().addingTimeInterval(seconds)
            guard let address = try? SocketAddress.resolve(host: "127.0.0.1", port: port) else { return (0, 0) }
            while Date() < end {
                while sockets.count < clients {
                    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
                    guard fd >= 0 else { break }
                    _ = address.withSockAddr { connect(fd, $0, $1) }
                    sockets.append(fd)
                }
                round += 1
                for (i, fd) in sockets.enumerated() where (i + round) % 8 == 0 {
                    let request = requests[(i + round) % requests.count]
                    _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                }
                usleep(50_000)
                sockets.removeAll { fd in
                    let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
                    if n > 0 {
                        let text = String(decoding: buffer[0..<n], as: UTF8.self)
                        if text.hasPrefix("HTTP/1.1 503") && text.contains("server overloaded") { refused += 1 } else { served += 1 }
                        return false
                    }
                    if n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) { close(fd); return true }
                    return false
                }
            }
            for fd in sockets { close(fd) }
            return (served, refused)
        }
    }
}
