import Contracts
import JSON

/// The service's OpenAPI 3.1 document, written from the contract types
/// (`TaskManagerAPI`): one component schema per type, named after it, with its properties
/// in the contract's order; one operation per route the service registers (a test checks
/// both against the router and against encoded contract values).
enum OpenAPIDocument {
    typealias Schema = OpenAPISchema

    /// The component schemas, by contract type name.
    static let schemas: [(name: String, schema: JSONValue)] = [
        ("HealthStatus", Schema.object([("status", Schema.string())], required: ["status"])),
        ("DetailError", Schema.object([("detail", Schema.string("what went wrong"))], required: ["detail"])),
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

    /// One documented operation.
    struct Operation {
        var method: String
        var path: String
        var summary: String
        var parameters: [JSONValue] = []
        var requestBody: String? = nil
        var response: (status: String, schema: JSONValue, contentType: String) = ("200", .null, "application/json")
        var errors: [String] = []
    }

    /// `{task_id}` as a path parameter.
    static let taskID: JSONValue = .object(["name": .string("task_id"), "in": .string("path"), "required": .bool(true), "schema": Schema.string()])

    /// A query parameter.
    static func query(_ name: String, _ schema: JSONValue, _ description: String) -> JSONValue {
        .object(["name": .string(name), "in": .string("query"), "required": .bool(false), "schema": schema, "description": .string(description)])
    }

    /// Every operation, in the document's order.
    static let operations: [Operation] = [
        Operation(method: "get", path: "/health", summary: "Health check", response: ("200", Schema.ref("HealthStatus"), "application/json")),
        Operation(method: "post", path: "/api/sft/generate", summary: "Generate SFT data (JSONL of chat records) through the LLM bridge",
                  requestBody: "SFTGenerateRequest", response: ("200", Schema.ref("SFTGenerateResponse"), "application/json"),
                  errors: ["400", "413", "422", "502"]),
        Operation(method: "post", path: "/api/github/generate-task", summary: "Generate and store a Harbor task from a GitHub issue or pull request",
                  requestBody: "GenerateTaskRequest", response: ("200", Schema.ref("GenerateTaskResponse"), "application/json"),
                  errors: ["400", "404", "422", "429", "502"]),
        Operation(method: "get", path: "/api/tasks", summary: "List tasks, newest first",
                  parameters: [query("status", Schema.ref("TaskStatus"), "only tasks with this status"),
                               query("search", Schema.string(), "case-insensitive text in the name or description"),
                               query("page", Schema.integer(), "page, from 1 (default 1)"),
                               query("limit", Schema.integer(), "tasks per page, 1-100 (default 20)")],
                  response: ("200", Schema.ref("TaskList"), "application/json"), errors: ["400"]),
        Operation(method: "post", path: "/api/tasks", summary: "Create a task (status draft)", requestBody: "CreateTaskRequest",
                  response: ("200", Schema.ref("TaskSummary"), "application/json"), errors: ["400", "413", "422"]),
        Operation(method: "post", path: "/api/tasks/validate", summary: "Validate a task directory as Harbor would load it",
                  requestBody: "ValidateTaskRequest", response: ("200", Schema.ref("ValidationResult"), "application/json"),
                  errors: ["400", "404", "422"]),
        Operation(method: "get", path: "/api/tasks/{task_id}", summary: "A task with its files", parameters: [taskID],
                  response: ("200", Schema.ref("TaskDetail"), "application/json"), errors: ["404"]),
        Operation(method: "put", path: "/api/tasks/{task_id}", summary: "Update a task (partial; a null file deletes it)",
                  parameters: [taskID], requestBody: "UpdateTaskRequest",
                  response: ("200", Schema.ref("TaskSummary"), "application/json"), errors: ["400", "404", "413", "422"]),
        Operation(method: "delete", path: "/api/tasks/{task_id}", summary: "Delete a task", parameters: [taskID],
                  response: ("200", Schema.ref("DeleteTaskResponse"), "application/json"), errors: ["404"]),
        Operation(method: "get", path: "/api/tasks/{task_id}/export", summary: "The task as a ZIP archive (files at its root)",
                  parameters: [taskID], response: ("200", .object(["type": .string("string"), "format": .string("binary")]), "application/zip"),
                  errors: ["404"]),
        Operation(method: "get", path: "/ws",
                  summary: "WebSocket (RFC 6455): progress of generate-task and SFT jobs as ProgressMessage texts; "
                      + "subscribe with ?jobId=<id> (repeatable) or by sending {\"subscribe\": \"<id>\"}",
                  parameters: [query("jobId", Schema.string(), "a job to follow (the jobId sent with the request)")],
                  response: ("101", Schema.ref("ProgressMessage"), "application/json")),
    ]

    /// The document as JSON.
    static let document: JSONValue = {
        var paths = JSONObject()
        for operation in operations {
            var entry: JSONObject = ["summary": .string(operation.summary),
                                     "operationId": .string(operation.method + operation.path.replacingOccurrences(of: "/", with: "_")
                                        .replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")
                                        .replacingOccurrences(of: "-", with: "_"))]
            if !operation.parameters.isEmpty { entry["parameters"] = .array(operation.parameters) }
            if let body = operation.requestBody {
                entry["requestBody"] = .object(["required": .bool(true),
                                                "content": .object(["application/json": .object(["schema": Schema.ref(body)])])])
            }
            var responses: JSONObject = [operation.response.status: .object([
                "description": .string(operation.response.status == "101" ? "Switching Protocols" : "Successful Response"),
                "content": .object([operation.response.contentType: .object(["schema": operation.response.schema])]),
            ])]
            for status in operation.errors {
                responses[status] = .object(["description": .string("Error"),
                                             "content": .object(["application/json": .object(["schema": Schema.ref("DetailError")])])])
            }
            entry["responses"] = .object(responses)
            var item = paths[operation.path]?.object ?? JSONObject()
            item[operation.method] = .object(entry)
            paths[operation.path] = .object(item)
        }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object(["title": .string("SeekingData Backend API"), "version": .string("1.0.0"),
                             "description": .string("SFT data generation and Harbor task management (task-manager).")]),
            "paths": .object(paths),
            "components": .object(["schemas": .object(JSONObject(schemas.map { JSONObject.Member(key: $0.name, value: $0.schema) }))]),
        ])
    }()

    /// The document's bytes.
    static let bytes: [UInt8] = document.serialized
}
