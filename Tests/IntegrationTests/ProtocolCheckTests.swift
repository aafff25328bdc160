import Foundation
import Testing
import TestSupport

/// Outside checkers (h11 as a strict client, redbot) against the real bench-server binary.
@Suite struct ProtocolCheckTests {
    @Test func h11AndRedbotFindNoProtocolErrors() async throws {
        let python = ProcessInfo.processInfo.environment["TEST_PYTHON"] ?? "deploy/.venv/bin/python"
        #expect(FileManager.default.isExecutableFile(atPath: python), "run deploy/test, which provisions \(python)")
        let port = try SystemHarness.freePort()
        // Never the test process's own output: a child holding that pipe would keep
        // `swift test` waiting after the test process ended (crashed) without stopping it.
        let server = try await TestSupport.launch(SystemHarness.binDir.appendingPathComponent("bench-server"),
                                                  environment: ["PORT": String(port), "LOG_LEVEL": "error"])
        defer { if server.exitStatus == nil { _ = server.terminate() } }
        try await SystemHarness.waitForHealth(port: port, name: "bench-server")
        let check = try await TestSupport.run(URL(fileURLWithPath: python),
                                              arguments: ["deploy/checks/protocol_check.py", "http://127.0.0.1:\(port)"],
                                              includingStandardError: true)
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("h11 ok: POST /echo"))
        #expect(check.output.contains("0 bad"))
        await TestSupport.stop(server)
    }
}
