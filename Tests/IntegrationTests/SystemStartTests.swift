import Foundation
import Testing
import TestSupport

/// Starts the six real binaries and checks each answers on its own port.
@Suite(.serialized) struct SystemStartTests {
    @Test func allSixServicesStartAnswerHealthAndStopCleanly() async throws {
        let system = try SystemHarness()
        try await system.startAll()
        defer { system.terminateAll() }
        for name in SystemHarness.names {
            let port = try #require(system.services[name]?.port)
            let r = try await SimpleHTTP.get(port: port, path: "/health")
            #expect(r.status == 200, "\(name)")
            #expect(r.body.contains("\"status\":\"healthy\""), "\(name): \(r.body)")
            // Metrics are for operators: the internal token with an operator role.
            #expect(try await SimpleHTTP.get(port: port, path: "/metrics").status == 401, "\(name)")
            let m = try await SimpleHTTP.get(port: port, path: "/metrics", headers: [
                "X-Internal-Token": system.token, "X-User-Id": "operator", "X-User-Roles": "auditor",
            ])
            #expect(m.status == 200)
            #expect(m.body.contains("http_requests_total"), "\(name) metrics")
        }
        let codes = await system.stopAll(keepData: true)
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
                      ("code-runner", "PORT", "http"), ("auth-gateway", "DATABASE_URL", "mysql://db/aidevtools")])
    func aMalformedSettingStopsTheServiceNamingIt(service: String, setting: String, value: String) async throws {
        var environment = ["DATA_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("bad-setting-\(UUID().uuidString)").path,
                           "PORT": "0"]
        environment[setting] = value
        // Its standard output is empty here: what it says goes to standard error.
        let result = try await TestSupport.run(SystemHarness.binDir.appendingPathComponent(service),
                                               environment: environment, includingStandardError: true)
        #expect(result.status == 2, "\(service): \(result.output)")
        #expect(result.output.contains(setting) && result.output.contains(value), "\(service): \(result.output)")
    }

    @Test func servicesRefuseCallsWithoutTheInternalToken() async throws {
        let system = try SystemHarness()
        try await system.startAll()
        defer { system.terminateAll() }
        for name in SystemHarness.names where name != "auth-gateway" {
            let port = try #require(system.services[name]?.port)
            let forged = try await SimpleHTTP.get(port: port, path: "/anything", headers: ["X-User-Id": "u1", "X-User-Roles": "admin"])
            #expect(forged.status == 401, "\(name) must refuse forged identity")
            let wrong = try await SimpleHTTP.get(port: port, path: "/anything", headers: ["X-Internal-Token": "nope", "X-User-Id": "u1"])
            #expect(wrong.status == 401, "\(name) must refuse a wrong token")
        }
        _ = await system.stopAll()
    }

    @Test func everyExecutablePrintsItsSettings() async throws {
        for name in SystemHarness.names {
            let help = try await TestSupport.run(SystemHarness.binDir.appendingPathComponent(name), arguments: ["--help"])
            #expect(help.status == 0)
            for setting in ["HOST", "PORT", "DATA_DIR", "INTERNAL_TOKEN", "LOG_LEVEL"] {
                #expect(help.output.contains(setting), "\(name) --help lists \(setting)")
            }
        }
    }
}
