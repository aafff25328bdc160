import Foundation
import ServiceKit
import Testing

@Suite struct ConfigTests {
    private func config(_ environment: [String: String], extra: [Setting] = []) -> Config {
        Config(service: "svc", settings: Config.common(service: "svc", port: 9000) + extra, environment: environment)
    }

    @Test func defaultsAndOverrides() throws {
        let c = config(["PORT": "1234", "LOG_LEVEL": "debug"])
        #expect(try c.integer("PORT") == 1234)
        #expect(try c.string("HOST") == "127.0.0.1")
        #expect(try c.string("DATA_DIR") == "./data/svc")
        let server = try ServerOptions(config: c)
        #expect(server.port == 1234 && server.logLevel == .debug && server.accessLog)
        #expect(server.http.idleTimeout == .seconds(60) && server.shutdownGrace == .seconds(10))
        let help = c.helpText()
        #expect(help.contains("INTERNAL_TOKEN"))
        #expect(!help.contains(Config.devInternalToken))
    }

    @Test(arguments: [
        ("PORT", "x", "an integer in 0...65535"),
        ("PORT", "70000", "an integer in 0...65535"),
        ("LOG_LEVEL", "chatty", "one of debug, info, warning, error"),
        ("ACCESS_LOG", "maybe", "1 or 0"),
        ("MAX_BODY_BYTES", "0", "an integer ≥ 1"),
        ("IDLE_TIMEOUT_S", "-5", "an integer ≥ 1"),
        ("EVENT_LOOPS", "2.5", "an integer in 0...1024"),
    ])
    func aMalformedCommonSettingIsNamed(name: String, value: String, expected: String) throws {
        let error = #expect(throws: ConfigError.self) { try ServerOptions(config: config([name: value])) }
        #expect(error?.setting == name)
        #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
        #expect(error?.description.contains("\"\(value)\"") == true)
    }

    @Test func typedReadsCheckTheirValues() throws {
        let extra = [Setting("RATE", "1.5", ""), Setting("MODE", "NORMAL", ""), Setting("BASE", "", ""), Setting("ITEMS", " a, ,b ", "")]
        let c = config(["MODE": "full", "BASE": "https://example.test/v1/"], extra: extra)
        #expect(try c.number("RATE", in: 0...10) == 1.5)
        #expect(try c.choice("MODE", from: ["NORMAL", "FULL"]) == "FULL")
        #expect(try c.url("BASE") == "https://example.test/v1")
        #expect(try c.list("ITEMS") == ["a", "b"])
        #expect(try config([:], extra: extra).url("BASE") == nil)
        #expect(throws: ConfigError.malformed(setting: "BASE", value: "ftp://x", expected: "an http:// or https:// URL with a host")) {
            try config(["BASE": "ftp://x"], extra: extra).url("BASE")
        }
        #expect(throws: ConfigError.self) { try config(["RATE": "11"], extra: extra).number("RATE", in: 0...10) }
        #expect(throws: ConfigError.self) { try config(["RATE": "nan"], extra: extra).number("RATE") }
        #expect(try config(["ACCESS_LOG": "OFF"]).flag("ACCESS_LOG") == false)
        #expect(try config(["ACCESS_LOG": "Yes"]).flag("ACCESS_LOG") == true)
    }

    @Test func aMisspeltSettingNameIsAnErrorNotAnEmptyValue() {
        #expect(throws: ConfigError.undeclared(setting: "PROT")) { try config([:]).integer("PROT") }
        #expect(throws: ConfigError.undeclared(setting: "HOTS")) { try config([:]).string("HOTS") }
    }

    @Test func dataDirectoryIsPrivate() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString)/nested")
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let url = try config(["DATA_DIR": dir.path]).dataDirectory()
        let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
        #expect(mode == 0o700)
    }
}
