import Contracts
import HTTPCore
import JSON
import ServiceKit

/// The service's OpenAPI 3.1 document (ServiceKit's `OpenAPIDocument`): the query API's
/// paths with their parameters, and the bridge's provider paths. Response schemas are
/// derived from the contract types (`AIBridgeQueryAPI`, `CoderError`) by encoding a sample
/// of each with every optional set and one with every optional absent
/// (`OpenAPISchema.derived`), so they follow the types. Served at `/openapi.json` and
/// `/api/v2/aibridge/openapi.json` (no token needed).
enum AIBridgeOpenAPI {
    /// The bridge's provider routes: method, path, summary, whether the answer may stream.
    static let providerOperations: [(method: HTTPMethod, path: String, summary: String, streams: Bool)] = [
        (.POST, QueryRoutes.prefix + "/openai/v1/chat/completions", "OpenAI chat completions through the bridge (recorded)", true),
        (.POST, QueryRoutes.prefix + "/openai/v1/completions", "OpenAI legacy completions (fill-in-the-middle) through the bridge (recorded)", true),
        (.POST, QueryRoutes.prefix + "/anthropic/v1/messages", "Anthropic messages through the bridge (recorded)", true),
        (.GET, QueryRoutes.prefix + "/openai/v1/models", "The OpenAI upstream's models (passed through, not recorded)", false),
        (.GET, QueryRoutes.prefix + "/openai/v1/models/{model}", "One model of the OpenAI upstream (passed through, not recorded)", false),
        (.GET, QueryRoutes.prefix + "/anthropic/v1/models", "The Anthropic upstream's models (passed through, not recorded)", false),
        (.GET, QueryRoutes.prefix + "/anthropic/v1/models/{model}", "One model of the Anthropic upstream (passed through, not recorded)", false),
        (.POST, QueryRoutes.prefix + "/anthropic/v1/messages/count_tokens", "Anthropic token count (passed through, not recorded)", false),
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
    static var schemas: [(name: String, schema: JSONValue)] {
        [
            ("codersdk.AIBridgeListInterceptionsResponse",
             OpenAPISchema.derived(full: Samples.interceptions(full: true), minimal: Samples.interceptions(full: false))),
            ("codersdk.AIBridgeListSessionsResponse",
             OpenAPISchema.derived(full: Samples.sessions(full: true), minimal: Samples.sessions(full: false))),
            ("AIBridgeModels", OpenAPISchema.array(OpenAPISchema.string())),
        ]
    }

    /// The error statuses of a provider route: the upstream's own answers are relayed as
    /// they came (OpenAI's or Anthropic's error object), so their schema is any object.
    static let relayedStatuses = [400, 401, 404, 413, 429, 500, 502, 503, 504]

    /// Every operation: the query routes, then the provider routes (an upstream the bridge
    /// cannot reach is a 502, one that does not answer in time a 504).
    static var operations: [OpenAPIOperation] {
        var operations = queryOperations.map { operation in
            OpenAPIOperation(.GET, operation.path, summary: operation.summary, tags: ["AI Bridge"],
                             parameters: operation.parameters.map { .query($0.name, .object(["type": .string($0.type)]), $0.description) },
                             responses: [.json(200, OpenAPISchema.ref(operation.schema))], errors: [400, 401])
        }
        for operation in providerOperations {
            var content = OpenAPIContent.json(OpenAPISchema.freeForm)
            if operation.streams { content.types.append(("text/event-stream", OpenAPISchema.string())) }
            operations.append(OpenAPIOperation(
                operation.method, operation.path, summary: operation.summary, tags: ["AI Bridge proxy"],
                parameters: operation.path.hasSuffix("{model}") ? [.path("model", OpenAPISchema.string(), "the model's id (may contain /)")] : [],
                requestBody: operation.method == .POST ? .json(OpenAPISchema.freeForm) : nil,
                responses: [OpenAPIResponse(status: 200, content: content)] + relayedStatuses.map {
                    .json($0, OpenAPISchema.freeForm, "the upstream's answer relayed in its own error shape, or the bridge's own error")
                },
                callsOutsideUpstream: true))
        }
        return operations
    }

    /// The whole document.
    static let document = OpenAPIDocument(
        title: "aibridge-query", version: "1",
        description: "coder's AI Bridge: an LLM proxy recording every call, and the query API over what it recorded.",
        envelope: .coder, schemas: schemas, operations: operations,
        servedAt: ["/openapi.json", QueryRoutes.prefix + "/openapi.json"])
}
