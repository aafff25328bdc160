import Foundation
import ServiceKit
import Storage

/// The orchestrator's settings, read once at start.
public struct OrchestratorOptions: Sendable {
    /// Where the database lives.
    public var dataDirectory: URL
    /// Compute's base URL: new learnuplets go to `{computeURL}/learn`, preduplets to
    /// `/pred` (nil: no push).
    public var computeURL: String?
    /// Timeout of one push to compute.
    public var computeTimeout: Duration
    /// First retry delay of a failed push, seconds (doubles each time).
    public var retryBaseSeconds: Double
    /// Longest retry delay of a failed push, seconds.
    public var retryMaxSeconds: Double
    /// SQLite's durability level.
    public var synchronous: SQLiteOptions.Synchronous
    /// How much work one request may cause.
    public var limits: OrchestratorLimits

    /// Reads and validates the settings.
    public init(config: Config) throws {
        dataDirectory = try config.dataDirectory()
        computeURL = try config.url("COMPUTE_URL")
        computeTimeout = try config.duration("COMPUTE_TIMEOUT_S", unit: .seconds(1), minimum: 1)
        retryBaseSeconds = Double(try config.integer("OUTBOX_RETRY_BASE_MS", in: 1...3_600_000)) / 1000
        retryMaxSeconds = try config.number("OUTBOX_RETRY_MAX_S", in: 0.001...86_400)
        synchronous = try config.choice("SQLITE_SYNCHRONOUS", from: ["NORMAL", "FULL"]) == "FULL" ? .full : .normal
        limits = try OrchestratorLimits(config: config)
    }
}
