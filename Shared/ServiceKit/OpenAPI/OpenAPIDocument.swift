import Contracts
import HTTPCore
import JSON

/// A service's OpenAPI 3.1 document, built from the same route list and contract types
/// the handlers use: `info`, one operation per route (with ServiceKit's own `/health`,
/// `/metrics` and the document's path), the component schemas, and the service's error
/// envelope as the schema of every error answer. `TestSupport.OpenAPIRouteCheck` compares
/// a document's operations with a router's routes.
public struct OpenAPIDocument: Sendable {
    /// The API's title.
    public var title: String
    /// Its version.
    public var version: String
    /// What it is.
    public var description: String
    /// How the service writes errors (the schema of every error answer).
    public var envelope: ErrorEnvelope
    /// Component schemas by name, in order (the envelope's and `HealthStatus` are added).
    public var schemas: [(name: String, schema: JSONValue)]
    /// The operations, in the document's order.
    public var operations: [OpenAPIOperation]
    /// Where the document itself is served (each documented as a public `GET`).
    public var servedAt: [String]
    /// The credentials the API takes, by scheme name (any one will do; an operation marked
    /// `isPublic` needs none). Empty for a service behind the gateway, which trusts the
    /// gateway's identity headers.
    public var securitySchemes: JSONObject

    /// A document; `serviceRoutes` adds ServiceKit's `/health` and `/metrics`.
    public init(title: String, version: String = "1.0.0", description: String, envelope: ErrorEnvelope,
                schemas: [(name: String, schema: JSONValue)], operations: [OpenAPIOperation],
                servedAt: [String] = ["/openapi.json"], serviceRoutes: Bool = true, securitySchemes: JSONObject = [:]) {
        self.title = title
        self.version = version
        self.description = description
        self.envelope = envelope
        self.schemas = schemas
        self.servedAt = servedAt
        self.securitySchemes = securitySchemes
        var all = operations
        if serviceRoutes { all += OpenAPIDocument.serviceKitOperations(envelope: envelope) }
        all += servedAt.map { path in
            OpenAPIOperation(.GET, path, summary: "This OpenAPI document", tags: ["documentation"],
                             responses: [.json(200, OpenAPISchema.freeForm)], isPublic: true)
        }
        self.operations = all
    }

    /// `GET /health` and `GET /metrics`, as ServiceKit serves them on every service.
    public static func serviceKitOperations(envelope: ErrorEnvelope) -> [OpenAPIOperation] {
        [
            OpenAPIOperation(.GET, "/health", summary: "Readiness: 200 healthy, 503 while starting (or degraded)", tags: ["operations"],
                             responses: [.json(200, OpenAPISchema.ref("HealthStatus")), .json(503, OpenAPISchema.ref("HealthStatus"))],
                             isPublic: true),
            OpenAPIOperation(.GET, "/metrics", summary: "Prometheus text exposition (operators: admin or auditor)",
                             description: "404 when METRICS_PORT is set: the exposition is then served on that port only.",
                             tags: ["operations"],
                             responses: [OpenAPIResponse(status: 200, content: OpenAPIContent([("text/plain", OpenAPISchema.string())]))],
                             errors: [401, 403, 404]),
        ]
    }

    /// The `(METHOD, path)` pairs documented, e.g. `GET /health`.
    public var routes: [String] { operations.map { "\($0.method.rawValue) \($0.path)" } }

    /// The document as JSON.
    public var json: JSONValue {
        var paths = JSONObject()
        let errorSchema = OpenAPISchema.ref(envelope.schemaName)
        for operation in operations {
            var item = paths[operation.path]?.object ?? JSONObject()
            item[operation.method.rawValue.lowercased()] = operation.json(errorSchema: errorSchema)
            paths[operation.path] = .object(item)
        }
        var components = JSONObject()
        for (name, schema) in schemas { components[name] = schema }
        if components[envelope.schemaName] == nil { components[envelope.schemaName] = envelope.schema }
        if components["HealthStatus"] == nil {
            components["HealthStatus"] = OpenAPISchema.derived(
                full: HealthStatus(status: "degraded", services: ["predictor": "starting"]), minimal: HealthStatus(status: "healthy"),
                overrides: ["services": OpenAPISchema.map(OpenAPISchema.string(), "the gateway: each service's state")])
        }
        var document: JSONObject = [
            "openapi": .string("3.1.0"),
            "info": .object(["title": .string(title), "version": .string(version), "description": .string(description)]),
            "paths": .object(paths),
            "components": .object(["schemas": .object(components)]),
        ]
        if !securitySchemes.isEmpty {
            document["components"] = .object(["schemas": .object(components), "securitySchemes": .object(securitySchemes)])
            document["security"] = .array(securitySchemes.keys.map { .object([$0: .array([])]) })
        }
        return .object(document)
    }

    /// The document's bytes.
    public var bytes: [UInt8] { json.serialized }
}
