import Foundation
import Testing

/// Outside checkers (h11 as a strict client, redbot) against the real bench-server binary.
@Suite struct ProtocolCheckTests {
    @Test func h11AndRedbotFindNoProtocolErrors() throws {
        let python = ProcessInfo.processInfo.environment["TEST_PYTHON"] ?? "deploy/.venv/bin/python"
        #expect(FileManager.default.isExecutableFile(atPath: python), "run deploy/test, which provisions \(python)")
        let port = try SystemHarness.freePort()
        let server = Process()
        server.executableURL = SystemHarness.binDir.appendingPathComponent("bench-server")
        server.environment = ["PORT": String(port), "LOG_LEVEL": "error"]
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        let harness = try SystemHarness()
        try harness.waitForHealth(port: port, name: "bench-server")
        let check = Process()
        check.executableURL = URL(fileURLWithPath: python)
        check.arguments = ["deploy/checks/protocol_check.py", "http://127.0.0.1:\(port)"]
        let out = Pipe()
        check.standardOutput = out
        check.standardError = out
        try check.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        #expect(check.terminationStatus == 0, "\(text)")
        #expect(text.contains("h11 ok: POST /echo"))
        #expect(text.contains("0 bad"))
    }
}
