import Contracts
import HTTPCore
import JSON
import ServiceKit
import Testing
import TestSupport

/// ServiceKit's OpenAPI builder and schema derivation, and TestSupport's route check.
@Suite("OpenAPI builder")
struct OpenAPIDocumentTests {
    struct Sample: Codable {
        var id: Int
        var name: String?
        var note: String?
        var state: String
        var score: Double

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)  // written as null when absent
            try container.encodeIfPresent(note, forKey: .note)  // left out when absent
            try container.encode(state, forKey: .state)
            try container.encode(score, forKey: .score)
        }
    }

    @Test func derivedSchemasFollowTheEncoding() {
        let schema = OpenAPISchema.derived(full: Sample(id: 1, name: "a", note: "n", state: "on", score: 0.5),
                                           minimal: Sample(id: 1, name: nil, note: nil, state: "on", score: 0.5),
                                           overrides: ["state": OpenAPISchema.choice(["on", "off"])])
        let object = schema.object
        #expect(object?["required"]?.strings == ["id", "name", "state", "score"])
        let properties = object?["properties"]?.object
        #expect(properties?.keys == ["id", "name", "note", "state", "score"])
        #expect(properties?["id"] == .object(["type": .string("integer")]))
        #expect(properties?["name"] == .object(["type": .array([.string("string"), .string("null")])]))
        #expect(properties?["note"] == .object(["type": .string("string")]))
        #expect(properties?["state"]?.object?["enum"] == .array([.string("on"), .string("off")]))
        #expect(properties?["score"] == .object(["type": .string("number")]))
        // A nullable enum admits null among its values; a nullable reference is anyOf.
        #expect(JSONSchemaDerivation.schema(of: .object(["s": .string("on")]), minimal: .object(["s": .null]),
                                            overrides: ["s": OpenAPISchema.choice(["on"])]).object?["properties"]?.object?["s"]?.object?["enum"]
                == .array([.string("on"), .null]))
        #expect(JSONSchemaDerivation.schema(of: .object(["r": .string("x")]), minimal: .object(["r": .null]),
                                            overrides: ["r": OpenAPISchema.ref("R")]).object?["properties"]?.object?["r"]
                == OpenAPISchema.orNull(OpenAPISchema.ref("R")))
    }

    @Test func documentHasPathParametersErrorsAndServiceRoutes() {
        let document = OpenAPIDocument(
            title: "t", description: "d", envelope: .morpheo, schemas: [],
            operations: [OpenAPIOperation(.POST, "/items/{id}", summary: "s", responses: [.json(201, OpenAPISchema.freeForm)],
                                          errors: [400, 404], callsOutsideUpstream: true)],
            securitySchemes: ["key": .object(["type": .string("apiKey"), "in": .string("header"), "name": .string("K")])])
        let json = document.json.object
        #expect(json?["openapi"] == .string("3.1.0"))
        #expect(document.routes == ["POST /items/{id}", "GET /health", "GET /metrics", "GET /openapi.json"])
        let post = json?["paths"]?.object?["/items/{id}"]?.object?["post"]?.object
        #expect(post?["parameters"]?.array?.first?.object?["name"] == .string("id"))
        #expect(post?["parameters"]?.array?.first?.object?["in"] == .string("path"))
        #expect(post?["responses"]?.object?.keys == ["201", "400", "404"])
        #expect(post?["responses"]?.object?["404"]?.object?["content"]?.object?["application/json"]?.object?["schema"]
                == OpenAPISchema.ref("MorpheoError"))
        #expect(post?[OpenAPIOperation.outsideUpstreamKey] == .bool(true))
        #expect(json?["components"]?.object?["schemas"]?.object?["MorpheoError"]?.object?["required"]?.strings == ["Error"])
        #expect(json?["security"] == .array([.object(["key": .array([])])]))
        // Public routes need no credentials.
        #expect(json?["paths"]?.object?["/openapi.json"]?.object?["get"]?.object?["security"] == .array([]))
    }

    @Test func routeCheckFindsBothKindsOfMismatch() {
        let router = Router()
        router.get("/a") { _ in .text("a") }
        router.post("/b/{id}") { _ in .text("b") }
        router.get("/files/**") { _ in .text("f") }
        func paths(_ list: [(String, String)]) -> JSONValue {
            var paths = JSONObject()
            for (method, path) in list {
                var item = paths[path]?.object ?? JSONObject()
                item[method] = .object([:])
                paths[path] = .object(item)
            }
            return .object(["paths": .object(paths)])
        }
        let agreeing = paths([("get", "/a"), ("post", "/b/{item}"), ("get", "/files/{path}")])
        #expect(OpenAPIRouteCheck.mismatches(router: router, document: agreeing) == [])
        let wrong = paths([("get", "/a"), ("get", "/c")])
        #expect(Set(OpenAPIRouteCheck.mismatches(router: router, document: wrong)) == [
            "documented but not routed: GET /c", "routed but not documented: POST /b/{id}", "routed but not documented: GET /files/**",
        ])
        #expect(OpenAPIRouteCheck.mismatches(router: router, document: wrong, ignoring: ["POST /b/{id}", "GET /files/**"])
                == ["documented but not routed: GET /c"])
    }
}
