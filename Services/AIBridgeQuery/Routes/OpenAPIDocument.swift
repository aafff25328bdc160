import Contracts
import JSON
import ServiceKit

/// The service's OpenAPI 3.1 document: the query API's paths with their parameters, and
/// the bridge's provider paths. Response schemas are derived from the contract types
/// (`AIBridgeQueryAPI`, `CoderError`) by encoding a sample of each with every optional set
/// and one with every optional absent (`JSONSchemaDerivation`), so they follow the types.
/// Served at `/openapi.json` and `/api/v2/aibridge/openapi.json` (no token needed).
enum OpenAPIDocument {
    /// Where the document is served.
    static let servedAt = ["/openapi.json", QueryRoutes.prefix + "/openapi.json"]

    /// The document, encoded once.
    static let bytes: [UInt8] = document.serialized

    /// The bridge's provider routes: method, path, summary, whether the answer may stream.
    static let providerOperations: [(method: String, path: String, summary: String, streams: Bool)] = [
        ("post", QueryRoutes.prefix + "/openai/v1/chat/completions", "OpenAI chat completions through the bridge (recorded)", true),
        ("post", QueryRoutes.prefix + "/openai/v1/completions", "OpenAI legacy completions (fill-in-the-middle) through the bridge (recorded)", true),
        ("post", QueryRoutes.prefix + "/anthropic/v1/messages", "Anthropic messages through the bridge (recorded)", true),
        ("get", QueryRoutes.prefix + "/openai/v1/models", "The OpenAI upstream's models (passed through, not recorded)", false),
        ("get", QueryRoutes.prefix + "/openai/v1/models/{model}", "One model of the OpenAI upstream (passed through, not recorded)", false),
        ("get", QueryRoutes.prefix + "/anthropic/v1/models", "The Anthropic upstream's models (passed through, not recorded)", false),
        ("get", QueryRoutes.prefix + "/anthropic/v1/models/{model}", "One model of the Anthropic upstream (passed through, not recorded)", false),
        ("post", QueryRoutes.prefix + "/anthropic/v1/messages/count_tokens", "Anthropic token count (passed through, not recorded)", false),
    ]

    /// The query routes: path, summary, response schema name, query parameters.
    static let queryOperations: [(path: String, summary: String, schema: String, parameters: [(name: String, type: String, description: String)])] = [
        (QueryRoutes.prefix + "/interceptions", "List AI Bridge interceptions", "codersdk.AIBridgeListInterceptionsResponse", [
            ("q", "string", "Search query in the format `key:value`. Available keys are: initiator, provider, model, client, started_after, started_before."),
            ("limit", "integer", "Page limit"),
            ("after_id", "string", "Cursor pagination after ID (cannot be used with offset)"),
            ("offset", "integer", "Offset pagination (cannot be used with after_id)"),
        ]),
        (QueryRoutes.prefix + "/sessions", "List AI Bridge sessions", "codersdk.AIBridgeListSessionsResponse", [
            ("q", "string", "Search query in the format `key:value`. Available keys are: initiator, provider, model, client, session_id, started_after, started_before."),
            ("limit", "integer", "Page limit"),
            ("after_session_id", "string", "Cursor pagination after session ID (cannot be used with offset)"),
            ("offset", "integer", "Offset pagination (cannot be used with after_session_id)"),
        ]),
        (QueryRoutes.prefix + "/models", "List AI Bridge models", "AIBridgeModels", [
            ("q", "string", "Search query: a model name prefix (bare or `model:`), case-sensitive."),
            ("limit", "integer", "Page limit"),
            ("offset", "integer", "Offset pagination"),
        ]),
    ]

    /// The component schemas, by name.
    static var schemas: JSONObject {
        var schemas = JSONObject()
        schemas["codersdk.AIBridgeListInterceptionsResponse"] = derive(Samples.interceptions(full: true), Samples.interceptions(full: false))
        schemas["codersdk.AIBridgeListSessionsResponse"] = derive(Samples.sessions(full: true), Samples.sessions(full: false))
        schemas["AIBridgeModels"] = derive(["gpt-4o"], [String]())
        schemas["codersdk.Response"] = derive(
            CoderError(message: "m", detail: "d", validations: [CoderError.Validation(field: "f", detail: "d")]), CoderError(message: "m"))
        return schemas
    }

    /// The whole document.
    static var document: JSONValue {
        var paths = JSONObject()
        for operation in queryOperations {
            let parameters: [JSONValue] = operation.parameters.map { parameter in
                .object(["name": .string(parameter.name), "in": .string("query"), "required": .bool(false),
                         "description": .string(parameter.description), "schema": .object(["type": .string(parameter.type)])])
            }
            let get: JSONObject = [
                "summary": .string(operation.summary), "tags": .array([.string("AI Bridge")]), "parameters": .array(parameters),
                "responses": .object(responses(ok: reference(operation.schema), content: "application/json")),
            ]
            paths[operation.path] = .object(["get": .object(get)])
        }
        for operation in providerOperations {
            var body: JSONObject = [
                "summary": .string(operation.summary), "tags": .array([.string("AI Bridge proxy")]),
                "responses": .object(responses(ok: freeForm, content: "application/json", streams: operation.streams)),
            ]
            if operation.method == "post" {
                body["requestBody"] = .object(["required": .bool(true),
                                               "content": .object(["application/json": .object(["schema": freeForm])])])
            }
            var item = paths[operation.path]?.object ?? JSONObject()
            item[operation.method] = .object(body)
            paths[operation.path] = .object(item)
        }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object(["title": .string("aibridge-query"), "version": .string("1"),
                             "description": .string("coder's AI Bridge: an LLM proxy recording every call, and the query API over what it recorded.")]),
            "paths": .object(paths),
            "components": .object(["schemas": .object(schemas)]),
        ])
    }

    /// The responses of an operation: 200 with `ok`, coder's error envelope otherwise.
    static func responses(ok: JSONValue, content: String, streams: Bool = false) -> JSONObject {
        var okContent: JSONObject = [content: .object(["schema": ok])]
        if streams { okContent["text/event-stream"] = .object(["schema": .object(["type": .string("string")])]) }
        var responses: JSONObject = ["200": .object(["description": .string("OK"), "content": .object(okContent)])]
        for (status, description) in [("400", "Bad Request"), ("401", "Unauthorized"), ("500", "Internal Server Error")] {
            responses[status] = .object(["description": .string(description),
                                         "content": .object(["application/json": .object(["schema": reference("codersdk.Response")])])])
        }
        return responses
    }

    static func reference(_ name: String) -> JSONValue { .object(["$ref": .string("#/components/schemas/" + name)]) }

    static let freeForm: JSONValue = .object(["type": .string("object"), "additionalProperties": .bool(true)])

    /// The schema of a contract value (see the type's comment).
    static func derive<T: Encodable>(_ full: T, _ minimal: T) -> JSONValue {
        JSONSchemaDerivation.schema(of: encoded(full), minimal: encoded(minimal))
    }

    /// A value as the handlers write it, read back.
    static func encoded<T: Encodable>(_ value: T) -> JSONValue {
        (try? JSONParser().parse(JSON.encodeOrEmpty(value))) ?? .null
    }
}
