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
            // Metrics are for operators: the internal token with an operator role.
            #expect(try SimpleHTTP.get(port: port, path: "/metrics").status == 401, "\(name)")
            let m = try SimpleHTTP.get(port: port, path: "/metrics", headers: [
                "X-Internal-Token": system.token, "X-User-Id": "operator", "X-User-Roles": "auditor",
            ])
            #expect(m.status == 200)
            #expect(m.body.contains("http_requests_total"), "\(name) metrics")
        }
        let codes = system.stopAll(keepData: true)
        defer { system.removeData() }
        for name in SystemHarness.names { #expect(codes[name] == 0, "\(name) exit code") }
        // Data at rest is private to the service's user: directories 0700, files 0600.
        for name in ["auth-gateway", "orchestrator", "predictor"] {
            let root = system.dataRoot.appendingPathComponent(name)
            let enumerator = try #require(FileManager.default.enumerator(atPath: root.path))
            var checked = 0
            for case let relative as String in enumerator {
                let attributes = try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(relative).path)
                let mode = (attributes[.posixPermissions] as? Int ?? -1) & 0o777
                let isDirectory = attributes[.type] as? FileAttributeType == .typeDirectory
                #expect(mode == (isDirectory ? 0o700 : 0o600), "\(name)/\(relative) is \(String(mode, radix: 8))")
                checked += 1
            }
            #expect(checked > 0, "\(name) wrote nothing under DATA_DIR")
            let top = try FileManager.default.attributesOfItem(atPath: root.path)[.posixPermissions] as? Int
            #expect(top.map { $0 & 0o777 } == 0o700, "\(name) DATA_DIR")
        }
    }

    @Test(arguments: [("orchestrator", "SQLITE_SYNCHRONOUS", "HALF"), ("predictor", "MAX_FILE_BYTES", "1MB"),
                      ("auth-gateway", "ROUTE_ROLES", "/code/=wizard"), ("task-manager", "LOG_LEVEL", "chatty"),
                      ("code-runner", "PORT", "http")])
    func aMalformedSettingStopsTheServiceNamingIt(service: String, setting: String, value: String) throws {
        let process = Process()
        process.executableURL = SystemHarness.binDir.appendingPathComponent(service)
        var environment = ["DATA_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("bad-setting-\(UUID().uuidString)").path,
                           "PORT": "0"]
        environment[setting] = value
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2, "\(service): \(text)")
        #expect(text.contains(setting) && text.contains(value), "\(service): \(text)")
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
