import Contracts
import Foundation
import HTTPCore
import JSON
import ServiceKit

/// The gateway's own OpenAPI 3.1 document (ServiceKit's `OpenAPIDocument`): `/ping`,
/// `/session`, `/admin/…`, the documentation routes, `/health` and `/metrics`, with
/// schemas derived from the contract types (`AuthGatewayAPI`, errors `CodeDescriptionError`).
/// The proxied paths are not here: each service's document, as the gateway serves it at
/// `/openapi/<service>.json`, lists them.
enum GatewayOpenAPI {
    typealias API = AuthGatewayAPI
    typealias Schema = OpenAPISchema

    /// Every document the gateway serves at `/openapi/<name>.json`, in the order `/docs` lists them.
    static let services = ["auth-gateway", "predictor", "task-manager", "aibridge-query", "orchestrator", "code-runner"]

    /// Where the document of `service` is served.
    static func documentPath(_ service: String) -> String { "/openapi/\(service).json" }

    /// The credentials the gateway takes, as OpenAPI security schemes (any one will do).
    static let securitySchemes: JSONObject = [
        "apiKey": .object(["type": .string("apiKey"), "in": .string("header"), "name": .string("API-Key"),
                           "description": .string("an API key (cbk_…) or a session id from /session; the gateway also takes "
                               + "Session-ID, Authorization: Bearer <session or key>, X-Api-Key, Coder-Session-Token "
                               + "and HTTP Basic (user name, API key)")]),
    ]

    /// What the gateway itself may answer on any proxied route, in its own envelope:
    /// no or a bad credential, a wrong role (`ROUTE_ROLES`), a rate or concurrency limit.
    static let gatewayErrors = [401, 403, 429]

    /// Sample values (dates at a whole second, as the store keeps them).
    static let time = Date(timeIntervalSince1970: 1_767_225_600)
    static let user = API.User(id: 1, name: "alice", roles: ["user"], createdAt: time, disabled: false)
    static func key(full: Bool) -> API.APIKey {
        API.APIKey(id: 1, userID: 1, label: "laptop", prefix: "cbk_abcd", createdAt: time, lastUsedAt: full ? time : nil,
                   revokedAt: full ? time : nil)
    }

    /// The component schemas, by contract type name.
    static let schemas: [(name: String, schema: JSONValue)] = [
        ("Role", Schema.choice(GatewayStore.knownRoles)),
        ("User", Schema.derived(user, overrides: ["roles": Schema.array(Schema.ref("Role"))])),
        ("APIKey", Schema.derived(full: key(full: true), minimal: key(full: false))),
        ("CreateUserRequest", Schema.derived(API.CreateUserRequest(name: "alice", roles: ["user"]),
                                             overrides: ["roles": Schema.array(Schema.ref("Role"))])),
        ("CreateKeyRequest", Schema.derived(full: API.CreateKeyRequest(label: "laptop"), minimal: API.CreateKeyRequest())),
        ("CreatedKey", Schema.derived(API.CreatedKey(id: 1, user: "alice", label: "laptop", prefix: "cbk_abcd", key: "cbk_abcd…"))),
    ]

    /// A user name in the path.
    static let name = OpenAPIParameter.path("name", Schema.string(), "the user's name")
    /// A key id in the path.
    static let keyID = OpenAPIParameter.path("id", Schema.integer(), "the key's id")
    /// The errors of every `/admin` route.
    static let adminErrors = [400, 401, 403, 404, 409, 413, 429]

    /// An `/admin` operation.
    static func admin(_ method: HTTPMethod, _ path: String, _ summary: String, parameters: [OpenAPIParameter] = [],
                      body: OpenAPIRequestBody? = nil, answer: OpenAPIResponse) -> OpenAPIOperation {
        OpenAPIOperation(method, path, summary: summary, tags: ["admin"], parameters: parameters, requestBody: body,
                         responses: [answer], errors: adminErrors)
    }

    /// An HTML page.
    static let html = OpenAPIResponse(status: 200, content: OpenAPIContent([("text/html", Schema.string())]))

    /// Every operation of the gateway's own routes.
    static let operations: [OpenAPIOperation] = [
        OpenAPIOperation(.GET, "/ping", summary: "Liveness: pong", tags: ["session"], responses: [.text(200, "pong")], isPublic: true),
        OpenAPIOperation(.GET, "/session", summary: "A new session (one hour) for an API key: the session id as text", tags: ["session"],
                         responses: [.text(200, "the session id")], errors: [401, 403, 429]),
        OpenAPIOperation(.POST, "/session", summary: "A new session (one hour) for an API key: the session id as text", tags: ["session"],
                         responses: [.text(200, "the session id")], errors: [401, 403, 429]),
        admin(.GET, "/admin/users", "Every user", answer: .json(200, Schema.array(Schema.ref("User")))),
        admin(.POST, "/admin/users", "Create a user", body: .json(Schema.ref("CreateUserRequest")), answer: .json(201, Schema.ref("User"))),
        admin(.GET, "/admin/users/{name}", "One user", parameters: [name], answer: .json(200, Schema.ref("User"))),
        admin(.POST, "/admin/users/{name}/disable", "Disable a user (their sessions end at once)", parameters: [name],
              answer: .json(200, Schema.ref("User"))),
        admin(.GET, "/admin/users/{name}/keys", "A user's keys (never the keys themselves)", parameters: [name],
              answer: .json(200, Schema.array(Schema.ref("APIKey")))),
        admin(.POST, "/admin/users/{name}/keys", "Create a key for a user: shown this once", parameters: [name],
              body: .json(Schema.ref("CreateKeyRequest"), required: false), answer: .json(201, Schema.ref("CreatedKey"))),
        admin(.POST, "/admin/keys/{id}/revoke", "Revoke a key (its sessions end at once)", parameters: [keyID],
              answer: .json(200, Schema.ref("APIKey"))),
        admin(.DELETE, "/admin/keys/{id}", "Revoke a key (its sessions end at once)", parameters: [keyID],
              answer: .json(200, Schema.ref("APIKey"))),
        OpenAPIOperation(.GET, "/docs", summary: "Swagger UI over every service's document", tags: ["documentation"],
                         responses: [html], isPublic: true),
    ] + services.dropFirst().map { service in
        OpenAPIOperation(.GET, documentPath(service), summary: "\(service)'s OpenAPI document, as the gateway exposes its paths",
                         tags: ["documentation"], responses: [.json(200, Schema.freeForm)], errors: [502, 504], isPublic: true)
    } + [
        OpenAPIOperation(.GET, "/api/docs", summary: "task-manager's Swagger UI", tags: ["documentation"], responses: [html],
                         errors: [502, 504], isPublic: true),
        OpenAPIOperation(.GET, "/api/redoc", summary: "task-manager's ReDoc", tags: ["documentation"], responses: [html],
                         errors: [502, 504], isPublic: true),
        OpenAPIOperation(.GET, "/api/openapi.json", summary: "task-manager's OpenAPI document, as the service serves it",
                         tags: ["documentation"], responses: [.json(200, Schema.freeForm)], errors: [502, 504], isPublic: true),
    ]

    /// The document.
    static let document = OpenAPIDocument(
        title: "auth-gateway", version: "1.0.0",
        description: "The one endpoint a client needs: API keys to sessions, users and keys, and a reverse proxy to every service "
            + "(each service's paths are in its own document, /openapi/<service>.json).",
        envelope: .codeDescription, schemas: schemas, operations: operations,
        servedAt: ["/openapi.json", documentPath("auth-gateway")], securitySchemes: securitySchemes)

    /// The document's bytes.
    static let bytes: [UInt8] = document.bytes
}
