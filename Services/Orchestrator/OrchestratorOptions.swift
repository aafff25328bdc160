import Foundation
import ServiceKit
import Storage

/// The orchestrator's settings, read once at start.
public struct OrchestratorOptions: Sendable {
    /// Where the database lives: `DATABASE_URL`, or SQLite at `DATA_DIR/orchestrator.sqlite`.
    public var database: DatabaseLocation
    /// PostgreSQL connections of this replica (`DATABASE_POOL_SIZE`).
    public var databasePoolSize: Int
    /// Compute's base URL: new learnuplets go to `{computeURL}/learn`, preduplets to
    /// `/pred` (nil: no push).
    public var computeURL: String?
    /// Timeout of one push to compute.
    public var computeTimeout: Duration
    /// First retry delay of a failed push, seconds (doubles each time).
    public var retryBaseSeconds: Double
    /// Longest retry delay of a failed push, seconds.
    public var retryMaxSeconds: Double
    /// SQLite's durability level (PostgreSQL's is the server's).
    public var synchronous: SQLiteOptions.Synchronous
    /// How much work one request may cause.
    public var limits: OrchestratorLimits

    /// Reads and validates the settings.
    public init(config: Config) throws {
        database = try Self.databaseLocation(config)
        databasePoolSize = try config.integer("DATABASE_POOL_SIZE", in: 1...1_000)
        computeURL = try config.url("COMPUTE_URL")
        computeTimeout = try config.duration("COMPUTE_TIMEOUT_S", unit: .seconds(1), minimum: 1)
        retryBaseSeconds = Double(try config.integer("OUTBOX_RETRY_BASE_MS", in: 1...3_600_000)) / 1000
        retryMaxSeconds = try config.number("OUTBOX_RETRY_MAX_S", in: 0.001...86_400)
        synchronous = try config.choice("SQLITE_SYNCHRONOUS", from: ["NORMAL", "FULL"]) == "FULL" ? .full : .normal
        limits = try OrchestratorLimits(config: config)
    }

    /// `DATABASE_URL`: empty for SQLite in `DATA_DIR`, else PostgreSQL (or `sqlite:PATH`).
    public static func databaseLocation(_ config: Config) throws -> DatabaseLocation {
        let raw = try config.string("DATABASE_URL")
        do {
            return try DatabaseLocation(databaseURL: raw,
                                        defaultSQLitePath: try config.dataDirectory().appendingPathComponent("orchestrator.sqlite").path)
        } catch let error as StorageError where error.kind == .invalidConfiguration {
            throw ConfigError.malformed(setting: "DATABASE_URL", value: DatabaseLocation.redacted(raw),
                                        expected: "empty (SQLite in DATA_DIR), postgres://… or postgresql://…, or sqlite:PATH")
        }
    }
}
