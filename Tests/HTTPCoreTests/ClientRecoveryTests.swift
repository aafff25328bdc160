import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import HTTPCore
import TestSupport

@Suite struct ClientRecoveryTests {
    @Test func refusedConnectsDoNotLeakPoolSlots() async throws {
        // The port is held (bound, not listening) while connects are refused, then freed
        // for the server; another process on the machine may take it in that moment, so
        // the scenario is retried on a fresh port when the server cannot bind.
        for attempt in 1...5 {
            let refusing = TestSupport.RefusingPort()
            let port = refusing.port
            var config = HTTPClientConfiguration.testing()
            config.maxConnectionsPerHost = 4
            let client = HTTPClient(configuration: config)
            var refused = 0
            for _ in 0..<20 {
                do {
                    // A hang guard, generous for a loaded machine: refusal is what is asserted.
                    _ = try await client.get("http://127.0.0.1:\(port)/x", timeout: .seconds(30))
                } catch let e as HTTPClientError {
                    if e == .connectionRefused { refused += 1 } else { Issue.record("unexpected \(e)") }
                }
            }
            #expect(refused == 20)
            refusing.release()
            let server = HTTPServer(configuration: .testing(port: port)) { _ in .text("up") }
            do {
                try server.start()
            } catch {
                await client.shutdown()
                if attempt < 5 { continue }
                throw error
            }
            let r = try await client.get("http://127.0.0.1:\(port)/x", timeout: .seconds(30))
            #expect(r.status.code == 200)
            #expect(String(decoding: try await r.body.collect(upTo: 100), as: UTF8.self) == "up")
            await client.shutdown()
            await server.shutdown()
            return
        }
    }
}
