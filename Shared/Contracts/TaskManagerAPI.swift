/// task-manager's public API: the "SeekingData Backend API" document (seed 001), field
/// names in its camelCase. Errors are `DetailError` (`{"detail": "..."}`); `/health`
/// answers `HealthStatus`.
public enum TaskManagerAPI {
    /// A task's life-cycle state.
    public enum TaskStatus: String, Codable, Sendable, CaseIterable {
        /// Just created or generated.
        case draft
        /// Ready to run.
        case ready
        /// Being tested.
        case testing
        /// Done.
        case completed
        /// A run failed.
        case failed
    }

    /// The document's four file keys; every stored task also has `tests/test.sh`.
    public enum FileKey {
        /// Harbor's task configuration.
        public static let taskConfig = "task.toml"
        /// What the agent is asked to do.
        public static let instruction = "instruction.md"
        /// The document's pytest file.
        public static let testPy = "tests/test.py"
        /// The environment's image.
        public static let dockerfile = "environment/Dockerfile"
        /// Harbor's verifier script (writes the reward).
        public static let testScript = "tests/test.sh"
        /// The optional reference solution.
        public static let solution = "solution/solve.sh"
    }

    // MARK: - SFT

    /// `config` of `POST /api/sft/generate`: the caller's own LLM settings.
    public struct SFTConfig: Codable, Sendable, Equatable {
        /// The upstream's API key (required).
        public var apiKey: String?
        /// The upstream's base URL (default `https://api.openai.com/v1`).
        public var baseUrl: String?
        /// The model (e.g. `gpt-4o-mini`).
        public var model: String?
        /// How many records (1–10, default 3).
        public var suggestionsCount: Int?

        /// A configuration.
        public init(apiKey: String?, baseUrl: String? = nil, model: String?, suggestionsCount: Int? = nil) {
            self.apiKey = apiKey
            self.baseUrl = baseUrl
            self.model = model
            self.suggestionsCount = suggestionsCount
        }
    }

    /// `POST /api/sft/generate`.
    public struct SFTGenerateRequest: Codable, Sendable, Equatable {
        /// The input content to make training data from.
        public var content: String
        /// The LLM settings.
        public var config: SFTConfig
        /// A job id the client chose to follow progress on `/ws` (optional; also the
        /// bridge session id; one is made when absent).
        public var jobId: String?

        /// A request.
        public init(content: String, config: SFTConfig, jobId: String? = nil) {
            self.content = content
            self.config = config
            self.jobId = jobId
        }
    }

    /// The answer of `POST /api/sft/generate`: JSONL, one chat record per line.
    public struct SFTGenerateResponse: Codable, Sendable, Equatable {
        /// `{"messages": [system, user, assistant]}` lines.
        public var data: String

        /// An answer.
        public init(data: String) { self.data = data }
    }

    /// One line of the SFT JSONL: an OpenAI chat-format training record.
    public struct SFTRecord: Codable, Sendable, Equatable {
        /// One message of a record.
        public struct Message: Codable, Sendable, Equatable {
            /// `system`, `user` or `assistant`.
            public var role: String
            /// The text.
            public var content: String

            /// A message.
            public init(role: String, content: String) {
                self.role = role
                self.content = content
            }
        }

        /// System, user, assistant.
        public var messages: [Message]

        /// A record.
        public init(messages: [Message]) { self.messages = messages }
    }

    // MARK: - GitHub

    /// `POST /api/github/generate-task`.
    public struct GenerateTaskRequest: Codable, Sendable, Equatable {
        /// `https://github.com/owner/repo` (a `.git` suffix or trailing slash allowed).
        public var repoUrl: String
        /// The issue stating the problem (optional).
        public var issueNumber: Int?
        /// The pull request fixing it (optional).
        public var prNumber: Int?
        /// A job id the client chose to follow progress on `/ws` (optional).
        public var jobId: String?

        /// A request.
        public init(repoUrl: String, issueNumber: Int? = nil, prNumber: Int? = nil, jobId: String? = nil) {
            self.repoUrl = repoUrl
            self.issueNumber = issueNumber
            self.prNumber = prNumber
            self.jobId = jobId
        }
    }

    /// The task inside `GenerateTaskResponse`.
    public struct GeneratedTask: Codable, Sendable, Equatable {
        /// The stored task's id.
        public var id: String
        /// Its name.
        public var name: String
        /// Its description.
        public var description: String
        /// Its files by relative path.
        public var files: [String: String]

        /// A generated task.
        public init(id: String, name: String, description: String, files: [String: String]) {
            self.id = id
            self.name = name
            self.description = description
            self.files = files
        }

        enum CodingKeys: String, CodingKey { case id, name, description, files }

        /// Encodes `files` sorted by path (a stable answer).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(description, forKey: .description)
            try FilePath.encodeSorted(files, into: &container, forKey: .files)
        }
    }

    /// The answer of `POST /api/github/generate-task`.
    public struct GenerateTaskResponse: Codable, Sendable, Equatable {
        /// The new (stored, draft) task.
        public var task: GeneratedTask

        /// An answer.
        public init(task: GeneratedTask) { self.task = task }
    }

    // MARK: - Tasks

    /// A task as listed, created and updated.
    public struct TaskSummary: Codable, Sendable, Equatable {
        /// The id.
        public var id: String
        /// The name.
        public var name: String
        /// The description.
        public var description: String
        /// The status.
        public var status: TaskStatus
        /// The task's directory on the server (a `taskPath` for validation).
        public var path: String
        /// When it was created (ISO 8601).
        public var createdAt: String

        /// A summary.
        public init(id: String, name: String, description: String, status: TaskStatus, path: String, createdAt: String) {
            self.id = id
            self.name = name
            self.description = description
            self.status = status
            self.path = path
            self.createdAt = createdAt
        }
    }

    /// `GET /api/tasks/{id}`: the summary's fields and the files.
    public struct TaskDetail: Codable, Sendable, Equatable {
        /// The id.
        public var id: String
        /// The name.
        public var name: String
        /// The description.
        public var description: String
        /// The status.
        public var status: TaskStatus
        /// The task's directory on the server.
        public var path: String
        /// When it was created (ISO 8601).
        public var createdAt: String
        /// Every file by relative path.
        public var files: [String: String]

        /// A task with its files.
        public init(summary: TaskSummary, files: [String: String]) {
            id = summary.id
            name = summary.name
            description = summary.description
            status = summary.status
            path = summary.path
            createdAt = summary.createdAt
            self.files = files
        }

        enum CodingKeys: String, CodingKey { case id, name, description, status, path, createdAt, files }

        /// Encodes `files` sorted by path (a stable answer).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(description, forKey: .description)
            try container.encode(status, forKey: .status)
            try container.encode(path, forKey: .path)
            try container.encode(createdAt, forKey: .createdAt)
            try FilePath.encodeSorted(files, into: &container, forKey: .files)
        }
    }

    /// A file path as a JSON object key: `files` maps are written sorted by path.
    public struct FilePath: CodingKey, Sendable {
        /// The path.
        public var stringValue: String
        /// Never an integer key.
        public var intValue: Int? { nil }
        /// A key for `stringValue`.
        public init(stringValue: String) { self.stringValue = stringValue }
        /// Integer keys are not paths.
        public init?(intValue: Int) { nil }

        /// Writes `files` as an object under `key`, keys in ascending order.
        static func encodeSorted<Key: CodingKey>(_ files: [String: String], into container: inout KeyedEncodingContainer<Key>,
                                                 forKey key: Key) throws {
            var nested = container.nestedContainer(keyedBy: FilePath.self, forKey: key)
            for path in files.keys.sorted() { try nested.encode(files[path] ?? "", forKey: FilePath(stringValue: path)) }
        }
    }

    /// `GET /api/tasks`: one page, newest first, and how many match.
    public struct TaskList: Codable, Sendable, Equatable {
        /// The page.
        public var tasks: [TaskSummary]
        /// Tasks matching the filters (all pages).
        public var total: Int

        /// A page.
        public init(tasks: [TaskSummary], total: Int) {
            self.tasks = tasks
            self.total = total
        }
    }

    /// `POST /api/tasks`.
    public struct CreateTaskRequest: Codable, Sendable, Equatable {
        /// The name (required, non-empty).
        public var name: String
        /// The description.
        public var description: String?
        /// Files by relative path (Harbor's defaults fill what is missing).
        public var files: [String: String]?

        /// A request.
        public init(name: String, description: String? = nil, files: [String: String]? = nil) {
            self.name = name
            self.description = description
            self.files = files
        }
    }

    /// `PUT /api/tasks/{id}`: only what is given changes; a file set to `null` is deleted.
    public struct UpdateTaskRequest: Codable, Sendable, Equatable {
        /// A new name.
        public var name: String?
        /// A new description.
        public var description: String?
        /// A new status.
        public var status: TaskStatus?
        /// Files to write (a string) or delete (`null`).
        public var files: [String: String?]?

        /// A request.
        public init(name: String? = nil, description: String? = nil, status: TaskStatus? = nil, files: [String: String?]? = nil) {
            self.name = name
            self.description = description
            self.status = status
            self.files = files
        }
    }

    /// The answer of `DELETE /api/tasks/{id}`.
    public struct DeleteTaskResponse: Codable, Sendable, Equatable {
        /// `Task deleted successfully`.
        public var message: String

        /// An answer.
        public init(message: String) { self.message = message }
    }

    /// `POST /api/tasks/validate`.
    public struct ValidateTaskRequest: Codable, Sendable, Equatable {
        /// A task id, or a path inside the tasks root.
        public var taskPath: String

        /// A request.
        public init(taskPath: String) { self.taskPath = taskPath }
    }

    /// The answer of `POST /api/tasks/validate`.
    public struct ValidationResult: Codable, Sendable, Equatable {
        /// No errors.
        public var valid: Bool
        /// What Harbor would refuse.
        public var errors: [String]
        /// What Harbor's lint would flag.
        public var warnings: [String]

        /// A result.
        public init(valid: Bool, errors: [String], warnings: [String]) {
            self.valid = valid
            self.errors = errors
            self.warnings = warnings
        }
    }

    // MARK: - Progress (`/ws`)

    /// A progress message on `/ws`.
    public struct ProgressMessage: Codable, Sendable, Equatable {
        /// 0 to 1.
        public var progress: Double
        /// What the job is doing (`fetching repository`, `generating round 2 of 4`, `done`, `failed: …`).
        public var stage: String
        /// The job.
        public var jobId: String

        /// A message.
        public init(progress: Double, stage: String, jobId: String) {
            self.progress = progress
            self.stage = stage
            self.jobId = jobId
        }
    }

    /// A message a client sends on `/ws`: `{"subscribe": "<jobId>"}` or `{"unsubscribe": "<jobId>"}`.
    public struct SubscriptionMessage: Codable, Sendable, Equatable {
        /// A job to follow.
        public var subscribe: String?
        /// A job to stop following.
        public var unsubscribe: String?

        /// A message.
        public init(subscribe: String? = nil, unsubscribe: String? = nil) {
            self.subscribe = subscribe
            self.unsubscribe = unsubscribe
        }
    }
}
