import Foundation

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
            Setting("BODY_MIN_RATE", "1024", "slowest average a request body may arrive at after BODY_TIMEOUT_S, bytes/s (0: no minimum)"),
            Setting("MAX_CONNECTIONS", "0", "open connections beyond this are answered 503 (0: half the descriptors RLIMIT_NOFILE leaves sockets)"),
            Setting("METRICS_HOST", "127.0.0.1", "address of the /metrics listener (with METRICS_PORT)"),
            Setting("METRICS_PORT", "", "serve /metrics on this port only, to anyone who can reach it (unset: on PORT, to operators only)"),
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

    /// The database settings of a service with a store: `DATABASE_URL` (empty: SQLite in
    /// `DATA_DIR`; `postgres://…`: PostgreSQL, the service's tables in its own `schema`) and
    /// the PostgreSQL pool size. Parsed by Storage's `DatabaseLocation`.
    public static func database(schema: String) -> [Setting] {
        [
            Setting("DATABASE_URL", "", "empty: SQLite in DATA_DIR; postgres://user:password@host:5432/db: PostgreSQL (tables in schema \(schema))", secret: true),
            Setting("DATABASE_POOL_SIZE", "4", "PostgreSQL connections of this replica (with DATABASE_URL)"),
        ]
    }

    /// The development default of INTERNAL_TOKEN (a warning is logged when it is used).
    public static let devInternalToken = "dev-internal-token-change-me"

    /// Reads every declared setting from `environment` (its default when unset).
    /// Nothing is validated here: each typed read below checks its value, and a service
    /// reads all of its settings once at start (its `Options`), so a bad value stops it.
    public init(service: String, settings: [Setting], environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.service = service
        self.settings = settings
        var values: [String: String] = [:]
        for setting in settings { values[setting.name] = environment[setting.name] ?? setting.defaultValue }
        self.values = values
    }

    /// A setting's raw value (its default when unset); throws for an undeclared name.
    public func string(_ name: String) throws -> String {
        guard let value = values[name] else { throw ConfigError.undeclared(setting: name) }
        return value
    }

    /// A setting's value with surrounding spaces removed.
    private func trimmed(_ name: String) throws -> String {
        try string(name).trimmingCharacters(in: .whitespaces)
    }

    /// An integer setting within `range`.
    public func integer(_ name: String, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        let raw = try trimmed(name)
        guard let value = Int(raw), range.contains(value) else {
            throw ConfigError.malformed(setting: name, value: raw, expected: "an integer" + Config.describe(range))
        }
        return value
    }

    /// A decimal setting within `range`.
    public func number(_ name: String, in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude) throws -> Double {
        let raw = try trimmed(name)
        guard let value = Double(raw), value.isFinite, range.contains(value) else {
            throw ConfigError.malformed(setting: name, value: raw, expected: "a number" + Config.describe(range))
        }
        return value
    }

    /// A duration given in whole `unit`s (`.seconds(1)` or `.milliseconds(1)`), at least `minimum` units.
    public func duration(_ name: String, unit: Duration, minimum: Int = 0) throws -> Duration {
        unit * (try integer(name, in: minimum...Int(Int32.max)))
    }

    /// A yes/no setting: `1`, `true`, `yes`, `on` or `0`, `false`, `no`, `off`, any case.
    public func flag(_ name: String) throws -> Bool {
        let raw = try trimmed(name)
        switch raw.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off", "": return false
        default: throw ConfigError.malformed(setting: name, value: raw, expected: "1 or 0 (true/false, yes/no, on/off)")
        }
    }

    /// One of `choices` (compared without case); returns the choice as declared.
    public func choice(_ name: String, from choices: [String]) throws -> String {
        let raw = try trimmed(name)
        guard let match = choices.first(where: { $0.lowercased() == raw.lowercased() }) else {
            throw ConfigError.malformed(setting: name, value: raw, expected: "one of " + choices.joined(separator: ", "))
        }
        return match
    }

    /// A comma-separated list setting (empty items dropped).
    public func list(_ name: String) throws -> [String] {
        try string(name).split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.isEmpty }
    }

    /// An `http` or `https` base URL (a trailing `/` removed), or nil when empty.
    public func url(_ name: String) throws -> String? {
        var raw = try trimmed(name)
        if raw.isEmpty { return nil }
        guard let parsed = URLComponents(string: raw), let scheme = parsed.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = parsed.host, !host.isEmpty,
              parsed.query == nil, parsed.fragment == nil else {
            throw ConfigError.malformed(setting: name, value: raw, expected: "an http:// or https:// URL with a host")
        }
        while raw.hasSuffix("/") { raw.removeLast() }
        return raw
    }

    /// A directory path, or nil when empty.
    public func directory(_ name: String) throws -> URL? {
        let raw = try trimmed(name)
        return raw.isEmpty ? nil : URL(fileURLWithPath: raw, isDirectory: true)
    }

    /// `DATA_DIR`, created mode 0700 if missing (files the service writes there are
    /// 0600: `ServiceMain` sets the umask to 077).
    public func dataDirectory() throws -> URL {
        let url = URL(fileURLWithPath: try string("DATA_DIR"), isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return url
    }

    /// The `--help` text: every setting with its default.
    public func helpText(usage: String? = nil) -> String {
        var text = "\(service) — configuration by environment variables\n\n"
        if let usage { text += usage + "\n\n" }
        let width = settings.map(\.name.count).max() ?? 10
        for setting in settings {
            let pad = String(repeating: " ", count: width - setting.name.count)
            let shown = setting.secret ? "(secret)" : (setting.defaultValue.isEmpty ? "(unset)" : setting.defaultValue)
            text += "  \(setting.name)\(pad)  \(setting.help) [default: \(shown)]\n"
        }
        return text
    }

    /// Settings with secrets masked, for the start-up log.
    public var printable: [(String, any Sendable)] {
        settings.map { setting in
            let value = values[setting.name] ?? ""
            return (setting.name, setting.secret ? (value.isEmpty ? "" : "***") : value)
        }
    }

    private static func describe<T: Comparable>(_ range: ClosedRange<T>) -> String {
        if let low = range.lowerBound as? Int, let high = range.upperBound as? Int {
            if low == Int.min && high == Int.max { return "" }
            if high == Int.max || high == Int(Int32.max) { return " ≥ \(low)" }
            return " in \(low)...\(high)"
        }
        if let low = range.lowerBound as? Double, let high = range.upperBound as? Double {
            if low == -Double.greatestFiniteMagnitude && high == Double.greatestFiniteMagnitude { return "" }
            if high == Double.greatestFiniteMagnitude { return " ≥ \(low)" }
            return " in \(low)...\(high)"
        }
        return ""
    }
}
