import Foundation
import Testing

/// Starts the six real binaries and checks each answers on its own port.
@Suite(.serialized) struct SystemStartTests {
    @Test func allSixServicesStartAnswerHealthAndStopCleanly() throws {
        let system = try SystemHarness()
        try system.startAll()
        for name in SystemHarness.names {
            let port = try #require(system.services[name]?.port)
            let r = try SimpleHTTP.get(port: port, path: "/health")
            #expect(r.status == 200, "\(name)")
            #expect(r.body.contains("\"status\":\"healthy\""), "\(name): \(r.body)")
            let m = try SimpleHTTP.get(port: port, path: "/metrics")
            #expect(m.status == 200)
            #expect(m.body.contains("http_requests_total"), "\(name) metrics")
        }
        let codes = system.stopAll()
        for name in SystemHarness.names { #expect(codes[name] == 0, "\(name) exit code") }
    }

    @Test func servicesRefuseCallsWithoutTheInternalToken() throws {
        let system = try SystemHarness()
        try system.startAll()
        defer { _ = system.stopAll() }
        for name in SystemHarness.names where name != "auth-gateway" {
            let port = try #require(system.services[name]?.port)
            let forged = try SimpleHTTP.get(port: port, path: "/anything", headers: ["X-User-Id": "u1", "X-User-Roles": "admin"])
            #expect(forged.status == 401, "\(name) must refuse forged identity")
            let wrong = try SimpleHTTP.get(port: port, path: "/anything", headers: ["X-Internal-Token": "nope", "X-User-Id": "u1"])
            #expect(wrong.status == 401, "\(name) must refuse a wrong token")
        }
    }

    @Test func everyExecutablePrintsItsSettings() throws {
        for name in SystemHarness.names {
            let p = Process()
            p.executableURL = SystemHarness.binDir.appendingPathComponent(name)
            p.arguments = ["--help"]
            let pipe = Pipe()
            p.standardOutput = pipe
            try p.run()
            let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
            for setting in ["HOST", "PORT", "DATA_DIR", "INTERNAL_TOKEN", "LOG_LEVEL"] {
                #expect(out.contains(setting), "\(name) --help lists \(setting)")
            }
        }
    }
}
