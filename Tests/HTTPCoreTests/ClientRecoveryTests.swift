import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import HTTPCore

@Suite struct ClientRecoveryTests {
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    @Test func refusedConnectsDoNotLeakPoolSlots() async throws {
        let port = Self.freePort()
        var config = HTTPClientConfiguration()
        config.maxConnectionsPerHost = 4
        let client = HTTPClient(configuration: config)
        var refused = 0
        for _ in 0..<20 {
            do {
                _ = try await client.get("http://127.0.0.1:\(port)/x", timeout: .seconds(2))
            } catch let e as HTTPClientError {
                if e == .connectionRefused { refused += 1 } else { Issue.record("unexpected \(e)") }
            }
        }
        #expect(refused == 20)
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: port)) { _ in .text("up") }
        try server.start()
        let r = try await client.get("http://127.0.0.1:\(port)/x", timeout: .seconds(2))
        #expect(r.status.code == 200)
        #expect(String(decoding: try await r.body.collect(upTo: 100), as: UTF8.self) == "up")
        await client.shutdown()
        await server.shutdown()
    }
}
