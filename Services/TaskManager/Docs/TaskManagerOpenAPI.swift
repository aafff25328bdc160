import Contracts
import HTTPCore
import JSON
import ServiceKit

/// The service's OpenAPI 3.1 document (ServiceKit's `OpenAPIDocument`), written from the
/// contract types (`TaskManagerAPI`): one component schema per type, named after it, with
/// its properties in the contract's order; one operation per route the service registers
/// (a test checks both against the router and against encoded contract values).
enum TaskManagerOpenAPI {
    typealias Schema = OpenAPISchema

    /// The component schemas, by contract type name.
    static let schemas: [(name: String, schema: JSONValue)] = [
        ("TaskStatus", Schema.choice(TaskManagerAPI.TaskStatus.allCases.map(\.rawValue))),
        ("SFTConfig", Schema.object([
            ("apiKey", Schema.string("the upstream's API key (required)")),
            ("baseUrl", Schema.string("the upstream's base URL (default https://api.openai.com/v1)")),
            ("model", Schema.string("the model, e.g. gpt-4o-mini (required)")),
            ("suggestionsCount", Schema.integer("records to make, 1-10 (default 3)")),
        ], required: [])),
        ("SFTGenerateRequest", Schema.object([
            ("content", Schema.string("the input content")), ("config", Schema.ref("SFTConfig")),
            ("jobId", Schema.string("optional: a job id to follow on /ws (1-128 of [A-Za-z0-9._-])")),
        ], required: ["content", "config"])),
        ("SFTGenerateResponse", Schema.object([
            ("data", Schema.string("JSONL: one {\"messages\": [system, user, assistant]} record per line")),
        ], required: ["data"])),
        ("GenerateTaskRequest", Schema.object([
            ("repoUrl", Schema.string("https://github.com/<owner>/<repo> (.git or a trailing slash allowed)")),
            ("issueNumber", Schema.integer()), ("prNumber", Schema.integer()),
            ("jobId", Schema.string("optional: a job id to follow on /ws")),
        ], required: ["repoUrl"])),
        ("GeneratedTask", Schema.object([
            ("id", Schema.string()), ("name", Schema.string()), ("description", Schema.string()),
            ("files", Schema.map(Schema.string(), "file contents by relative path")),
        ], required: ["id", "name", "description", "files"])),
        ("GenerateTaskResponse", Schema.object([("task", Schema.ref("GeneratedTask"))], required: ["task"])),
        ("TaskSummary", Schema.object(summaryProperties, required: summaryProperties.map(\.0))),
        ("TaskDetail", Schema.object(summaryProperties + [("files", Schema.map(Schema.string(), "file contents by relative path"))],
                                     required: summaryProperties.map(\.0) + ["files"])),
        ("TaskList", Schema.object([("tasks", Schema.array(Schema.ref("TaskSummary"))), ("total", Schema.integer("tasks matching"))],
                                   required: ["tasks", "total"])),
        ("CreateTaskRequest", Schema.object([
            ("name", Schema.string()), ("description", Schema.string()),
            ("files", Schema.map(Schema.string(), "relative path → contents; Harbor's defaults fill what is missing")),
        ], required: ["name"])),
        ("UpdateTaskRequest", Schema.object([
            ("name", Schema.string()), ("description", Schema.string()), ("status", Schema.ref("TaskStatus")),
            ("files", Schema.map(Schema.nullable("string"), "relative path → new contents, or null to delete")),
        ], required: [])),
        ("DeleteTaskResponse", Schema.object([("message", Schema.string())], required: ["message"])),
        ("ValidateTaskRequest", Schema.object([("taskPath", Schema.string("a task id or a path inside the tasks root"))],
                                              required: ["taskPath"])),
        ("ValidationResult", Schema.object([
            ("valid", Schema.boolean()), ("errors", Schema.array(Schema.string())), ("warnings", Schema.array(Schema.string())),
        ], required: ["valid", "errors", "warnings"])),
        ("ProgressMessage", Schema.object([
            ("progress", Schema.number("0 to 1")), ("stage", Schema.string()), ("jobId", Schema.string()),
        ], required: ["progress", "stage", "jobId"])),
    ]

    /// The summary's properties (also the detail's first ones).
    static let summaryProperties: [(String, JSONValue)] = [
        ("id", Schema.string()), ("name", Schema.string()), ("description", Schema.string()), ("status", Schema.ref("TaskStatus")),
        ("path", Schema.string("the task's directory on the server")), ("createdAt", Schema.string("ISO 8601")),
    ]

    /// `{task_id}` as a path parameter.
    static let taskID = OpenAPIParameter.path("task_id", Schema.string(), "the task's id")

    /// A JSON answer with a component schema.
    static func ok(_ name: String) -> [OpenAPIResponse] { [.json(200, Schema.ref(name))] }

    /// Every operation, in the document's order.
    static let operations: [OpenAPIOperation] = [
        OpenAPIOperation(.POST, "/api/sft/generate", summary: "Generate SFT data (JSONL of chat records) through the LLM bridge",
                         tags: ["sft"], requestBody: .json(Schema.ref("SFTGenerateRequest")), responses: ok("SFTGenerateResponse"),
                         errors: [400, 413, 422, 502, 504], callsOutsideUpstream: true),
        OpenAPIOperation(.POST, "/api/github/generate-task", summary: "Generate and store a Harbor task from a GitHub issue or pull request",
                         tags: ["github"], requestBody: .json(Schema.ref("GenerateTaskRequest")), responses: ok("GenerateTaskResponse"),
                         errors: [400, 404, 413, 422, 429, 502, 504], callsOutsideUpstream: true),
        OpenAPIOperation(.GET, "/api/tasks", summary: "List tasks, newest first", tags: ["tasks"],
                         parameters: [.query("status", Schema.ref("TaskStatus"), "only tasks with this status"),
                                      .query("search", Schema.string(), "case-insensitive text in the name or description"),
                                      .query("page", Schema.integer(), "page, from 1 (default 1)"),
                                      .query("limit", Schema.integer(), "tasks per page, 1-100 (default 20)")],
                         responses: ok("TaskList"), errors: [400, 422]),
        OpenAPIOperation(.POST, "/api/tasks", summary: "Create a task (status draft)", tags: ["tasks"],
                         requestBody: .json(Schema.ref("CreateTaskRequest")), responses: ok("TaskSummary"), errors: [400, 409, 413, 422]),
        OpenAPIOperation(.POST, "/api/tasks/validate", summary: "Validate a task directory as Harbor would load it", tags: ["tasks"],
                         requestBody: .json(Schema.ref("ValidateTaskRequest")), responses: ok("ValidationResult"), errors: [400, 404, 413, 422]),
        OpenAPIOperation(.GET, "/api/tasks/{task_id}", summary: "A task with its files", tags: ["tasks"], parameters: [taskID],
                         responses: ok("TaskDetail"), errors: [400, 404]),
        OpenAPIOperation(.PUT, "/api/tasks/{task_id}", summary: "Update a task (partial; a null file deletes it)", tags: ["tasks"],
                         parameters: [taskID], requestBody: .json(Schema.ref("UpdateTaskRequest")), responses: ok("TaskSummary"),
                         errors: [400, 404, 413, 422]),
        OpenAPIOperation(.DELETE, "/api/tasks/{task_id}", summary: "Delete a task", tags: ["tasks"], parameters: [taskID],
                         responses: ok("DeleteTaskResponse"), errors: [400, 404]),
        OpenAPIOperation(.GET, "/api/tasks/{task_id}/export", summary: "The task as a ZIP archive (files at its root)", tags: ["tasks"],
                         parameters: [taskID], responses: [OpenAPIResponse(status: 200, content: OpenAPIContent([("application/zip", Schema.binary)]))],
                         errors: [400, 404]),
        OpenAPIOperation(.GET, "/ws", summary: "WebSocket (RFC 6455): progress of generate-task and SFT jobs as ProgressMessage texts",
                         description: "Subscribe with ?jobId=<id> (repeatable) or by sending {\"subscribe\": \"<id>\"}; "
                             + "a request that is not a WebSocket upgrade is refused.",
                         tags: ["progress"],
                         parameters: [.query("jobId", Schema.string(), "a job to follow (the jobId sent with the request)")],
                         responses: [OpenAPIResponse(status: 101, description: "Switching Protocols: ProgressMessage texts follow",
                                                     content: .json(Schema.ref("ProgressMessage")))],
                         errors: [400, 426]),
    ]

    /// The document.
    static let document = OpenAPIDocument(
        title: "SeekingData Backend API", version: "1.0.0",
        description: "SFT data generation and Harbor task management (task-manager).",
        envelope: .detail, schemas: schemas, operations: operations, servedAt: ["/openapi.json", "/api/openapi.json"])

    /// The document's bytes.
    static let bytes: [UInt8] = document.bytes
}
