import Foundation

/// One environment setting: its name, default and meaning (printed by `--help`).
public struct Setting: Sendable {
    public let name: String
    public let defaultValue: String
    public let help: String
    /// Secret values are never printed or logged.
    public let secret: Bool

    public init(_ name: String, _ defaultValue: String, _ help: String, secret: Bool = false) {
        self.name = name
        self.defaultValue = defaultValue
        self.help = help
        self.secret = secret
    }
}

/// Configuration from environment variables with safe defaults (12-factor).
public struct Config: Sendable {
    /// The service name (for DATA_DIR's default and `--help`).
    public let service: String
    /// The known settings, common ones first.
    public let settings: [Setting]
    private let values: [String: String]

    /// The settings every service reads.
    public static func common(service: String, port: Int) -> [Setting] {
        [
            Setting("HOST", "127.0.0.1", "address to bind (0.0.0.0 or :: for all interfaces)"),
            Setting("PORT", String(port), "port to listen on"),
            Setting("DATA_DIR", "./data/\(service)", "where this service keeps its data"),
            Setting("INTERNAL_TOKEN", Config.devInternalToken, "shared secret between the gateway and the services", secret: true),
            Setting("LOG_LEVEL", "info", "debug, info, warning or error"),
            Setting("ACCESS_LOG", "1", "1 to log every request, 0 not to"),
            Setting("MAX_BODY_BYTES", String(16 * 1024 * 1024), "largest request body accepted"),
            Setting("EVENT_LOOPS", "0", "event-loop threads (0: one per core)"),
            Setting("IDLE_TIMEOUT_S", "60", "keep-alive idle timeout, seconds"),
            Setting("HEADER_TIMEOUT_S", "10", "time allowed to send a request head, seconds"),
            Setting("BODY_TIMEOUT_S", "30", "time a request body may stall, seconds"),
            Setting("MAX_CONNECTIONS", "10000", "open connections beyond this are refused"),
            Setting("SHUTDOWN_GRACE_S", "10", "on SIGTERM, how long in-flight requests may take"),
        ]
    }

    /// The service URL settings (for the gateway and any service that calls another).
    public static let serviceURLs: [Setting] = [
        Setting("PREDICTOR_URL", "http://127.0.0.1:8081", "predictor base URL"),
        Setting("TASK_MANAGER_URL", "http://127.0.0.1:5001", "task-manager base URL"),
        Setting("AIBRIDGE_URL", "http://127.0.0.1:8083", "aibridge-query base URL"),
        Setting("ORCHESTRATOR_URL", "http://127.0.0.1:8084", "orchestrator base URL"),
        Setting("CODE_RUNNER_URL", "http://127.0.0.1:8085", "code-runner base URL"),
    ]

    /// The development default of INTERNAL_TOKEN (a warning is logged when it is used).
    public static let devInternalToken = "dev-internal-token-change-me"

    public init(service: String, settings: [Setting], environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.service = service
        self.settings = settings
        var v: [String: String] = [:]
        for s in settings { v[s.name] = environment[s.name] ?? s.defaultValue }
        values = v
    }

    /// A setting's value (its default when unset).
    public subscript(_ name: String) -> String { values[name] ?? "" }

    /// An integer setting; the default when the value does not parse.
    public func int(_ name: String) -> Int {
        Int(self[name]) ?? Int(settings.first { $0.name == name }?.defaultValue ?? "") ?? 0
    }

    /// A floating-point setting.
    public func double(_ name: String) -> Double {
        Double(self[name]) ?? Double(settings.first { $0.name == name }?.defaultValue ?? "") ?? 0
    }

    /// A boolean setting (`1`, `true`, `yes`, `on`).
    public func bool(_ name: String) -> Bool { ["1", "true", "yes", "on"].contains(self[name].lowercased()) }

    /// A comma-separated list setting.
    public func list(_ name: String) -> [String] {
        self[name].split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.isEmpty }
    }

    /// The data directory, created if missing.
    public func dataDirectory() throws -> URL {
        let url = URL(fileURLWithPath: self["DATA_DIR"], isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The `--help` text: every setting with its default.
    public func helpText(usage: String? = nil) -> String {
        var s = "\(service) — configuration by environment variables\n\n"
        if let usage { s += usage + "\n\n" }
        let w = settings.map(\.name.count).max() ?? 10
        for st in settings {
            let pad = String(repeating: " ", count: w - st.name.count)
            let def = st.secret ? "(secret)" : (st.defaultValue.isEmpty ? "(unset)" : st.defaultValue)
            s += "  \(st.name)\(pad)  \(st.help) [default: \(def)]\n"
        }
        return s
    }

    /// Settings with secrets masked, for the start-up log.
    public var printable: [(String, any Sendable)] {
        settings.map { ($0.name, $0.secret ? (self[$0.name].isEmpty ? "" : "***") : self[$0.name]) }
    }
}
