import Contracts
import HTTPCore
import JSON
import ServiceKit

/// The service's OpenAPI 3.1 document (ServiceKit's `OpenAPIDocument`): every code route,
/// with schemas derived from the contract types (`CodeRunnerAPI`, errors `DetailError`) by
/// encoding a sample with every optional set and one without. Served at `/openapi.json`.
enum CodeRunnerOpenAPI {
    typealias API = CodeRunnerAPI
    typealias Schema = OpenAPISchema

    /// The component schemas, by contract type name.
    static let schemas: [(name: String, schema: JSONValue)] = [
        ("ExecuteRequest", Schema.derived(full: API.ExecuteRequest(code: "print(df.shape)", sessionID: "s", messageID: 1),
                                          minimal: API.ExecuteRequest(code: nil))),
        ("BlockResult", Schema.derived(full: API.BlockResult(name: "main", stdout: "", stderr: "", error: "e"),
                                       minimal: API.BlockResult(name: "main", stdout: "", stderr: "", error: nil))),
        ("ExecuteResponse", Schema.derived(
            API.ExecuteResponse(output: "", plotlyOutputs: ["{}"], matplotlibOutputs: ["png"], isSuccessful: true, failedBlocks: ["main"],
                                timedOut: false, blocks: [API.BlockResult(name: "main", stdout: "", stderr: "", error: nil)]),
            overrides: ["blocks": Schema.array(Schema.ref("BlockResult"))])),
        ("EditRequest", Schema.derived(full: API.EditRequest(originalCode: "x = 1", userPrompt: "add one", sessionID: "s", messageID: 1),
                                       minimal: API.EditRequest(originalCode: nil, userPrompt: nil))),
        ("EditResponse", Schema.derived(full: API.EditResponse(editedCode: "x = 2", error: "e"), minimal: API.EditResponse(editedCode: "x"))),
        ("FixRequest", Schema.derived(full: API.FixRequest(code: "x = (", error: "SyntaxError", sessionID: "s", messageID: 1),
                                      minimal: API.FixRequest(code: nil, error: nil))),
        ("FixResponse", Schema.derived(full: API.FixResponse(fixedCode: "x = 1", error: "e"), minimal: API.FixResponse(fixedCode: "x"))),
        ("CleanCodeRequest", Schema.derived(full: API.CleanCodeRequest(code: "import os"), minimal: API.CleanCodeRequest(code: nil))),
        ("CleanCodeResponse", Schema.derived(API.CleanCodeResponse(cleanedCode: "import os"))),
        ("LatestCodeRequest", Schema.derived(full: API.LatestCodeRequest(messageID: 1), minimal: API.LatestCodeRequest(messageID: nil))),
        ("LatestCodeResponse", Schema.derived(API.LatestCodeResponse(code: "x = 1"))),
        ("DatasetResponse", Schema.derived(API.DatasetResponse(message: "m", sessionID: "s", name: "n", description: "d", rows: 1,
                                                               columns: ["a"]))),
    ]

    /// Where a route finds the analysis session when the body names none.
    static let session: [OpenAPIParameter] = [
        .header("X-Session-ID", Schema.string(), "the analysis session when the body has no session_id"),
        .query("session_id", Schema.string(), "the analysis session when neither the body nor X-Session-ID gives one"),
    ]

    /// An error answer (`{"detail"}`) with what it means here.
    static func error(_ status: Int, _ description: String) -> OpenAPIResponse {
        .json(status, Schema.ref("DetailError"), description)
    }

    /// The errors every route shares.
    static let common = [error(401, "no identity from the gateway"), error(413, "body over the limit")]

    /// A JSON POST of `body` answering `answer`.
    static func post(_ path: String, _ summary: String, body: JSONValue, required: Bool = true, answer: String,
                     parameters: [OpenAPIParameter] = [], errors: [OpenAPIResponse]) -> OpenAPIOperation {
        OpenAPIOperation(.POST, path, summary: summary, tags: ["code"], parameters: parameters,
                         requestBody: .json(body, required: required),
                         responses: [.json(200, Schema.ref(answer))] + errors + common)
    }

    /// Every operation.
    static let operations: [OpenAPIOperation] = [
        post("/code/execute", "Run code against the session's dataframe", body: Schema.ref("ExecuteRequest"), answer: "ExecuteResponse",
             parameters: session, errors: [error(400, "no code, or a bad session id"), error(404, "another user's session"),
                                           error(422, "a field of the wrong type"), error(503, "no kernel available")]),
        post("/code/edit", "Edit code with the LLM", body: Schema.ref("EditRequest"), answer: "EditResponse", parameters: session,
             errors: [error(400, "missing original code or instructions"), error(404, "another user's session"),
                      error(422, "a field of the wrong type")]),
        post("/code/fix", "Fix failing code block by block with the LLM", body: Schema.ref("FixRequest"), answer: "FixResponse",
             parameters: session, errors: [error(400, "missing code or error"), error(404, "another user's session"),
                                           error(422, "a field of the wrong type")]),
        post("/code/clean-code", "Move top-level imports to the top (Python's ast)", body: Schema.ref("CleanCodeRequest"),
             answer: "CleanCodeResponse", errors: [error(400, "no code"), error(422, "a field of the wrong type")]),
        post("/code/get-latest-code", "The latest code stored for a message", body: Schema.ref("LatestCodeRequest"),
             answer: "LatestCodeResponse", errors: [error(400, "missing message id"), error(404, "message not found"),
                                                    error(422, "a field of the wrong type")]),
        OpenAPIOperation(.POST, "/upload_dataframe", summary: "Replace the session's dataset with a CSV", tags: ["datasets"],
                         parameters: session,
                         requestBody: OpenAPIRequestBody(content: OpenAPIContent([("multipart/form-data", Schema.object([
                             ("file", Schema.binary), ("name", Schema.string()), ("description", Schema.string()),
                         ], required: ["file"]))])),
                         responses: [.json(200, Schema.ref("DatasetResponse")), error(400, "no file, or not a table"),
                                     error(404, "another user's session"), error(415, "not multipart/form-data")] + common),
        post("/reset-session", "Go back to the built-in sample dataset", body: Schema.object([("session_id", Schema.string())], required: []),
             required: false, answer: "DatasetResponse", parameters: session,
             errors: [error(400, "a bad session id"), error(404, "another user's session")]),
    ]

    /// The document.
    static let document = OpenAPIDocument(
        title: "code-runner", version: "1.0.0",
        description: "Auto-Analyst's code routes (seed 004) on per-session sandboxed Python kernels. Errors are {\"detail\": \"...\"}.",
        envelope: .detail, schemas: schemas, operations: operations)
}
