import Foundation
import ServiceKit
import Storage

/// aibridge-query's settings, read once at start (or made by tests). Names as the spec's
/// "Runtime interface" gives them.
public struct AIBridgeQueryOptions: Sendable {
    /// DATA_DIR: the SQLite database `aibridge.sqlite` lives here (without `DATABASE_URL`).
    public var dataDirectory: URL
    /// `DATABASE_URL`: where the store is (default: SQLite `DATA_DIR/aibridge.sqlite`).
    public var database: DatabaseLocation
    /// `DATABASE_POOL_SIZE`: PostgreSQL connections of this replica.
    public var databasePoolSize = 4
    /// The PostgreSQL schema of the store (not a setting: tests use one of their own).
    public var databaseSchema = AIBridgeStore.postgresSchema
    /// `AIBRIDGE_OPENAI_BASE_URL`: `/api/v2/aibridge/openai/v1/<rest>` goes to `<this>/<rest>`.
    public var openAIBaseURL = "https://api.openai.com/v1"
    /// `AIBRIDGE_OPENAI_KEY`: sent as `Authorization: Bearer`; never logged or stored.
    public var openAIKey = ""
    /// `AIBRIDGE_ANTHROPIC_BASE_URL`: `/api/v2/aibridge/anthropic/v1/<rest>` goes to `<this>/v1/<rest>`.
    public var anthropicBaseURL = "https://api.anthropic.com"
    /// `AIBRIDGE_ANTHROPIC_KEY`: sent as `x-api-key`; never logged or stored.
    public var anthropicKey = ""
    /// `UPSTREAM_TIMEOUT_S`: the longest an upstream may take to start answering.
    public var upstreamTimeout: Duration = .seconds(300)
    /// `SQLITE_SYNCHRONOUS`: NORMAL (a recorded call survives a killed process) or FULL
    /// (also a power loss).
    public var synchronous: SQLiteOptions.Synchronous = .normal

    /// Options with defaults for everything but the data directory (tests).
    public init(dataDirectory: URL) {
        self.dataDirectory = dataDirectory
        database = .sqlite(path: dataDirectory.appendingPathComponent(AIBridgeStore.fileName).path)
    }

    /// Reads and validates the settings.
    public init(config: Config) throws {
        self.init(dataDirectory: try config.dataDirectory())
        database = try config.databaseLocation(sqliteFile: AIBridgeStore.fileName)
        databasePoolSize = try config.databasePoolSize()
        openAIBaseURL = try config.url("AIBRIDGE_OPENAI_BASE_URL") ?? openAIBaseURL
        openAIKey = try config.string("AIBRIDGE_OPENAI_KEY")
        anthropicBaseURL = try config.url("AIBRIDGE_ANTHROPIC_BASE_URL") ?? anthropicBaseURL
        anthropicKey = try config.string("AIBRIDGE_ANTHROPIC_KEY")
        upstreamTimeout = try config.duration("UPSTREAM_TIMEOUT_S", unit: .seconds(1), minimum: 1)
        synchronous = try config.choice("SQLITE_SYNCHRONOUS", from: ["NORMAL", "FULL"]) == "FULL" ? .full : .normal
    }

    /// The settings `--help` prints, with their defaults.
    public static let settings: [Setting] = Config.database(schema: AIBridgeStore.postgresSchema) + [
        Setting("AIBRIDGE_OPENAI_BASE_URL", "https://api.openai.com/v1", "OpenAI-compatible upstream: /api/v2/aibridge/openai/v1/<rest> → <this>/<rest>"),
        Setting("AIBRIDGE_OPENAI_KEY", "", "the OpenAI upstream's key (Authorization: Bearer)", secret: true),
        Setting("AIBRIDGE_ANTHROPIC_BASE_URL", "https://api.anthropic.com", "Anthropic upstream: /api/v2/aibridge/anthropic/v1/<rest> → <this>/v1/<rest>"),
        Setting("AIBRIDGE_ANTHROPIC_KEY", "", "the Anthropic upstream's key (x-api-key)", secret: true),
        Setting("UPSTREAM_TIMEOUT_S", "300", "the longest an LLM upstream may take to start answering, s"),
        Setting("SQLITE_SYNCHRONOUS", "NORMAL", "SQLite: NORMAL (recorded calls survive a killed process) or FULL (also a power loss)"),
    ]
}
