import Contracts
import HTTPCore
import JSON
import ServiceKit

/// The service's OpenAPI 3.1 document (ServiceKit's `OpenAPIDocument`): `/predict` and
/// `/mass_upload`, their bodies and answers derived from the contract types
/// (`PredictorAPI`, errors `CodeDescriptionError`). Served at `/openapi.json`.
enum PredictorOpenAPI {
    typealias Schema = OpenAPISchema

    /// `n`: a number or a numeric string, as the original client sends either.
    static let count = Schema.anyOf([Schema.integer(), Schema.string()])

    /// The form fields of `/predict` (URL-encoded or multipart): every value is text.
    static let formFields = Schema.object([
        ("current_file", Schema.string("the file, with exactly one <cursor> marker")),
        ("n", Schema.string("how many completions, 1-10 (default 3)")),
        ("model", Schema.string("auto (default), ngram, symbols or llm")),
        ("language", Schema.string("the file's language (informational)")),
    ], required: [])

    /// The component schemas, by contract type name.
    static let schemas: [(name: String, schema: JSONValue)] = [
        ("PredictRequest", Schema.derived(
            full: PredictorAPI.PredictRequest(currentFile: "import os\nos.<cursor>", n: 3, model: "auto", language: "python"),
            minimal: PredictorAPI.PredictRequest(currentFile: nil), overrides: ["n": count])),
        ("PredictResponse", Schema.derived(PredictorAPI.PredictResponse(predictions: ["path"]))),
        ("MassUploadRequest", Schema.derived(PredictorAPI.MassUploadRequest(workspace: "w", files: [:]),
                                             overrides: ["files": Schema.map(Schema.string(), "file contents by relative path")])),
    ]

    /// Every operation.
    static let operations: [OpenAPIOperation] = [
        OpenAPIOperation(.POST, "/predict", summary: "Ranked completions at the file's <cursor>", tags: ["predict"],
                         requestBody: OpenAPIRequestBody(content: OpenAPIContent([
                             ("application/x-www-form-urlencoded", formFields), ("multipart/form-data", formFields),
                             ("application/json", Schema.ref("PredictRequest")),
                         ])),
                         responses: [.json(200, Schema.ref("PredictResponse"))], errors: [400, 401, 413, 415]),
        OpenAPIOperation(.POST, "/mass_upload", summary: "Store a workspace's files and rebuild the caller's personal model",
                         tags: ["predict"], requestBody: .json(Schema.ref("MassUploadRequest")),
                         responses: [.text(200, PredictorAPI.uploadedText)], errors: [400, 401, 413, 415, 507]),
    ]

    /// The document.
    static let document = OpenAPIDocument(
        title: "predictor", version: "1.0.0",
        description: "Code completion: ranked completions for a file with a <cursor>, and per-user models from uploaded workspaces.",
        envelope: .codeDescription, schemas: schemas, operations: operations)
}
