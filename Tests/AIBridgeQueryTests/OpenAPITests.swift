@testable import AIBridgeQuery
import Contracts
import Foundation
import HTTPCore
import JSON
import ServiceKit
import Testing
import TestSupport

@Suite("/openapi.json matches the handlers")
struct OpenAPITests {
    /// The document as served.
    func document(_ harness: Harness) async throws -> JSONValue {
        let response = await harness.get("/openapi.json", as: nil)
        #expect(response.status == 200)
        let gateway = await harness.get("/api/v2/aibridge/openapi.json", as: nil)
        #expect(gateway.body == response.body)
        return try JSONParser().parse(response.body)
    }

    @Test("every documented query path is a route, and every route under /api/v2/aibridge is documented")
    func paths() async throws {
        let harness = try await Harness.make()
        defer { Task { await harness.shutdown() } }
        let document = try await document(harness)
        #expect(document.object?["openapi"]?.string == "3.1.0")
        let router = harness.instance.definition.router
        #expect(OpenAPIRouteCheck.mismatches(router: router, document: document) == [])
        let documented = Set(AIBridgeOpenAPI.document.routes)
        #expect(documented.contains("POST /api/v2/aibridge/openai/v1/chat/completions"))
        #expect(documented.contains("POST /api/v2/aibridge/openai/v1/completions"))
        #expect(documented.contains("POST /api/v2/aibridge/anthropic/v1/messages"))
        #expect(documented.contains("GET /api/v2/aibridge/openai/v1/models"))
    }

    @Test("each query route's documented parameters are the ones it reads")
    func parameters() async throws {
        let harness = try await Harness.make()
        defer { Task { await harness.shutdown() } }
        let paths = try #require(try await document(harness).object?["paths"]?.object)
        let expected = [
            "/api/v2/aibridge/interceptions": ["q", "limit", "after_id", "offset"],
            "/api/v2/aibridge/sessions": ["q", "limit", "after_session_id", "offset"],
            "/api/v2/aibridge/models": ["q", "limit", "offset"],
        ]
        for (path, names) in expected {
            let parameters = paths[path]?.object?["get"]?.object?["parameters"]?.array ?? []
            #expect(parameters.compactMap { $0.object?["name"]?.string } == names)
            // Each parameter is read: a malformed value of it answers 400.
            for name in names where name != "q" {
                let response = await harness.get(path + "?\(name)=-1")
                #expect(response.status == 400, "\(path) \(name)")
            }
        }
    }

    @Test("real answers validate against the documented schemas")
    func answersMatchSchemas() async throws {
        let harness = try await Harness.make()
        defer { Task { await harness.shutdown() } }
        var call = Call(started: at(0), client: "Codex", apiKeyID: "k", prompt: "p", tools: [("c", "t")])
        call.metadataJSON = #"{"a":1}"#
        try await harness.record([call, Call(started: at(1))])
        let document = try await document(harness)
        let schemas = try #require(document.object?["components"]?.object?["schemas"]?.object)
        let checks: [(String, String)] = [
            ("/api/v2/aibridge/interceptions", "codersdk.AIBridgeListInterceptionsResponse"),
            ("/api/v2/aibridge/sessions", "codersdk.AIBridgeListSessionsResponse"),
            ("/api/v2/aibridge/models", "AIBridgeModels"),
            ("/api/v2/aibridge/interceptions?limit=5000", "codersdk.Response"),
            ("/api/v2/aibridge/sessions?q=nokey", "codersdk.Response"),
        ]
        for (target, name) in checks {
            let response = await harness.get(target)
            let value = try JSONParser().parse(response.body)
            let schema = try #require(schemas[name])
            let problems = SchemaCheck.problems(value, schema)
            #expect(problems.isEmpty, "\(target): \(problems)")
        }
        // And a check that can fail: a field the schema does not list is found.
        let list = try JSONParser().parse(await harness.get("/api/v2/aibridge/sessions").body)
        guard case .object(var object) = list else { Issue.record("not an object"); return }
        object["extra"] = .int(1)
        #expect(!SchemaCheck.problems(.object(object), try #require(schemas["codersdk.AIBridgeListSessionsResponse"])).isEmpty)
    }
}

/// A small JSON Schema checker for the derived schemas: types (with `null`), required
/// keys, no keys beyond `properties` unless `additionalProperties`, array items.
enum SchemaCheck {
    static func problems(_ value: JSONValue, _ schema: JSONValue, at path: String = "$") -> [String] {
        guard let schema = schema.object else { return ["\(path): no schema"] }
        let types = schema["type"]?.strings ?? schema["type"]?.string.map { [$0] } ?? []
        let actual: String
        switch value {
        case .null: actual = "null"
        case .bool: actual = "boolean"
        case .int: actual = "integer"
        case .double: actual = "number"
        case .string: actual = "string"
        case .array: actual = "array"
        case .object: actual = "object"
        }
        guard types.contains(actual) || (actual == "integer" && types.contains("number")) else {
            return ["\(path): \(actual), expected \(types)"]
        }
        var problems: [String] = []
        if case .string(let text) = value, schema["format"]?.string == "date-time", (try? AIBridgeQueryAPI.Timestamp.parse(text)) == nil {
            problems.append("\(path): not a date-time")
        }
        if case .array(let elements) = value, let items = schema["items"] {
            for (index, element) in elements.enumerated() { problems += Self.problems(element, items, at: "\(path)[\(index)]") }
        }
        if case .object(let members) = value {
            let properties = schema["properties"]?.object ?? JSONObject()
            for key in schema["required"]?.strings ?? [] where members[key] == nil { problems.append("\(path).\(key): missing") }
            for (key, member) in members {
                if let property = properties[key] {
                    problems += Self.problems(member, property, at: "\(path).\(key)")
                } else if schema["additionalProperties"]?.bool != true {
                    problems.append("\(path).\(key): not in the schema")
                }
            }
        }
        return problems
    }
}
