import Foundation
import HTTPCore

/// The settings every service shares (`Config.common`), read once and validated at start.
public struct ServerOptions: Sendable {
    /// Address to bind.
    public var host: String
    /// Port to listen on (0: any free port).
    public var port: Int
    /// The shared secret that makes identity headers trusted.
    public var internalToken: String
    /// Least severe level logged.
    public var logLevel: LogLevel
    /// Whether every request is logged.
    public var accessLog: Bool
    /// The server's limits and timeouts.
    public var http: HTTPServerConfiguration
    /// Event-loop threads (0: one per core).
    public var eventLoops: Int
    /// How long in-flight requests may finish after SIGTERM.
    public var shutdownGrace: Duration
    /// The address of the `/metrics` listener (`METRICS_HOST`).
    public var metricsHost: String
    /// The port of a listener serving `/metrics` only (`METRICS_PORT`; 0 picks a free
    /// one); nil: `/metrics` is served on the main port, to operators only.
    public var metricsPort: Int?

    /// Reads and validates the common settings.
    public init(config: Config) throws {
        host = try config.string("HOST").trimmingCharacters(in: .whitespaces)
        port = try config.integer("PORT", in: 0...65535)
        internalToken = try config.string("INTERNAL_TOKEN")
        if internalToken.isEmpty {
            throw ConfigError.malformed(setting: "INTERNAL_TOKEN", value: "", expected: "a non-empty secret")
        }
        let level = try config.choice("LOG_LEVEL", from: ["debug", "info", "warning", "error"])
        logLevel = LogLevel(name: level) ?? .info
        accessLog = try config.flag("ACCESS_LOG")
        var http = HTTPServerConfiguration(host: host, port: port)
        http.limits.maxBodyBytes = try config.integer("MAX_BODY_BYTES", in: 1...Int.max)
        http.idleTimeout = try config.duration("IDLE_TIMEOUT_S", unit: .seconds(1), minimum: 1)
        http.headerReadTimeout = try config.duration("HEADER_TIMEOUT_S", unit: .seconds(1), minimum: 1)
        http.bodyReadTimeout = try config.duration("BODY_TIMEOUT_S", unit: .seconds(1), minimum: 1)
        http.bodyMinimumRate = try config.integer("BODY_MIN_RATE", in: 0...Int(Int32.max))
        // 0: derived from RLIMIT_NOFILE (ServiceMain raises the soft limit first).
        let maxConnections = try config.integer("MAX_CONNECTIONS", in: 0...Int.max)
        http.maxConnections = maxConnections == 0 ? DescriptorLimit.defaultMaxConnections : maxConnections
        self.http = http
        eventLoops = try config.integer("EVENT_LOOPS", in: 0...1024)
        shutdownGrace = try config.duration("SHUTDOWN_GRACE_S", unit: .seconds(1))
        metricsHost = try config.string("METRICS_HOST").trimmingCharacters(in: .whitespaces)
        metricsPort = try config.string("METRICS_PORT").trimmingCharacters(in: .whitespaces).isEmpty
            ? nil : try config.integer("METRICS_PORT", in: 0...65535)
    }
}
