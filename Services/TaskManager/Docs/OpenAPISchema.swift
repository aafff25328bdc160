import JSON

/// JSON Schema fragments for the OpenAPI document.
enum OpenAPISchema {
    /// `{"type": "string"}` (with a description).
    static func string(_ description: String? = nil) -> JSONValue { typed("string", description) }
    /// `{"type": "integer"}`.
    static func integer(_ description: String? = nil) -> JSONValue { typed("integer", description) }
    /// `{"type": "number"}`.
    static func number(_ description: String? = nil) -> JSONValue { typed("number", description) }
    /// `{"type": "boolean"}`.
    static func boolean(_ description: String? = nil) -> JSONValue { typed("boolean", description) }
    /// `{"type": "array", "items": …}`.
    static func array(_ items: JSONValue) -> JSONValue { .object(["type": .string("array"), "items": items]) }
    /// A reference to a component schema.
    static func ref(_ name: String) -> JSONValue { .object(["$ref": .string("#/components/schemas/\(name)")]) }
    /// `{"type": "object", "additionalProperties": …}` (a map).
    static func map(_ values: JSONValue, _ description: String? = nil) -> JSONValue {
        var object: JSONObject = ["type": .string("object"), "additionalProperties": values]
        if let description { object["description"] = .string(description) }
        return .object(object)
    }
    /// A nullable variant (OpenAPI 3.1: a type list).
    static func nullable(_ type: String) -> JSONValue { .object(["type": .array([.string(type), .string("null")])]) }
    /// A string enum.
    static func choice(_ values: [String]) -> JSONValue {
        .object(["type": .string("string"), "enum": .array(values.map(JSONValue.string))])
    }

    /// An object schema with `properties` in order and the `required` ones.
    static func object(_ properties: [(String, JSONValue)], required: [String]) -> JSONValue {
        .object(["type": .string("object"),
                 "properties": .object(JSONObject(properties.map { JSONObject.Member(key: $0.0, value: $0.1) })),
                 "required": .array(required.map(JSONValue.string))])
    }

    private static func typed(_ type: String, _ description: String?) -> JSONValue {
        var object: JSONObject = ["type": .string(type)]
        if let description { object["description"] = .string(description) }
        return .object(object)
    }
}
