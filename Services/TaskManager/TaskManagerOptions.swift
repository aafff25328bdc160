import Foundation
import ServiceKit
import Storage

/// task-manager's settings, read once at start.
public struct TaskManagerOptions: Sendable {
    /// Where the SQLite index lives (`DATA_DIR`).
    public var dataDirectory: URL
    /// `DATABASE_URL`: where the index is (default: SQLite `DATA_DIR/tasks.sqlite`).
    public var database: DatabaseLocation
    /// `DATABASE_POOL_SIZE`: PostgreSQL connections of this replica.
    public var databasePoolSize: Int
    /// The PostgreSQL schema of the index (not a setting: tests use one of their own).
    public var databaseSchema = TaskStore.postgresSchema
    /// The tasks root: one directory per task (`TASKS_DIR`, default `DATA_DIR/tasks`). With
    /// `DATABASE_URL=postgres://…` (replicas) it must be one volume shared by every replica.
    public var tasksDirectory: URL
    /// Whether other replicas write `tasksDirectory` too (PostgreSQL index): each replica
    /// then stages in a folder of its own.
    public var sharedTasksDirectory: Bool { database.dialect == .postgres }
    /// The GitHub REST API (`GITHUB_API_URL`).
    public var githubAPIURL: String
    /// Sent as `Authorization: Bearer` to GitHub when set (`GITHUB_TOKEN`).
    public var githubToken: String?
    /// aibridge-query's base URL (`AIBRIDGE_URL`): the SFT calls go to its OpenAI bridge.
    public var aibridgeURL: String
    /// Allowed CORS origins (`CORS_ORIGINS`).
    public var corsOrigins: [String]
    /// The shared secret sent to the bridge (`INTERNAL_TOKEN`).
    public var internalToken: String
    /// Limits on a task's files.
    public var limits: TaskLimits
    /// Timeout of one GitHub call.
    public var githubTimeout: Duration
    /// Timeout of one LLM call through the bridge.
    public var llmTimeout: Duration
    /// Tries of one LLM call on 429/5xx/transport failures (first included).
    public var llmAttempts: Int
    /// First back-off of a retried LLM call (doubles each time).
    public var llmRetryBase: Duration

    /// The settings this service declares (beyond the common ones).
    static let settings: [Setting] = Config.database(schema: TaskStore.postgresSchema) + [
        Setting("TASKS_DIR", "", "the tasks root, one directory per task (empty: DATA_DIR/tasks); with DATABASE_URL: one volume shared by every replica"),
        Setting("GITHUB_API_URL", "https://api.github.com", "GitHub REST API base URL"),
        Setting("GITHUB_TOKEN", "", "GitHub token, sent as Authorization: Bearer (empty: anonymous, 60 requests/hour)", secret: true),
        Setting("GITHUB_TIMEOUT_S", "30", "timeout of one GitHub API call, seconds"),
        Setting("AIBRIDGE_URL", "http://127.0.0.1:8083", "aibridge-query base URL; SFT calls go to {AIBRIDGE_URL}/api/v2/aibridge/openai/v1/chat/completions"),
        Setting("LLM_TIMEOUT_S", "120", "timeout of one LLM call through the bridge, seconds"),
        Setting("LLM_ATTEMPTS", "3", "tries of one LLM call on 429, 5xx or a transport failure (first included)"),
        Setting("LLM_RETRY_BASE_MS", "500", "first back-off of a retried LLM call (doubles; Retry-After honoured up to 30 s), milliseconds"),
        Setting("CORS_ORIGINS", "http://localhost:3000,http://127.0.0.1:3000", "allowed CORS origins, comma-separated (* for any)"),
        Setting("MAX_TASK_FILES", "\(TaskLimits.defaults.maxFiles)", "most files in one task (beyond: 413)"),
        Setting("MAX_TASK_FILE_BYTES", "\(TaskLimits.defaults.maxFileBytes)", "largest file of a task sent as JSON, bytes (beyond: 413)"),
        Setting("MAX_TASK_BYTES", "\(TaskLimits.defaults.maxTotalBytes)", "largest total of a task's files sent as JSON, bytes (beyond: 413)"),
    ]

    /// Reads and validates the settings.
    public init(config: Config) throws {
        dataDirectory = try config.dataDirectory()
        database = try config.databaseLocation(sqliteFile: "tasks.sqlite")
        databasePoolSize = try config.databasePoolSize()
        tasksDirectory = try config.directory("TASKS_DIR") ?? dataDirectory.appendingPathComponent("tasks", isDirectory: true)
        githubAPIURL = try config.url("GITHUB_API_URL") ?? "https://api.github.com"
        let token = try config.string("GITHUB_TOKEN").trimmingCharacters(in: .whitespaces)
        githubToken = token.isEmpty ? nil : token
        githubTimeout = try config.duration("GITHUB_TIMEOUT_S", unit: .seconds(1), minimum: 1)
        aibridgeURL = try config.url("AIBRIDGE_URL") ?? "http://127.0.0.1:8083"
        llmTimeout = try config.duration("LLM_TIMEOUT_S", unit: .seconds(1), minimum: 1)
        llmAttempts = try config.integer("LLM_ATTEMPTS", in: 1...10)
        llmRetryBase = try config.duration("LLM_RETRY_BASE_MS", unit: .milliseconds(1), minimum: 1)
        corsOrigins = try config.list("CORS_ORIGINS")
        internalToken = try config.string("INTERNAL_TOKEN")
        limits = TaskLimits(maxFiles: try config.integer("MAX_TASK_FILES", in: 8...1_000_000),
                            maxFileBytes: try config.integer("MAX_TASK_FILE_BYTES", in: 1024...(1 << 30)),
                            maxTotalBytes: try config.integer("MAX_TASK_BYTES", in: 1024...(1 << 40)))
    }
}
