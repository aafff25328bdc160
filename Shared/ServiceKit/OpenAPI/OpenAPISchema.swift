import JSON

/// JSON Schema fragments (2020-12, as OpenAPI 3.1 uses it) for a service's OpenAPI
/// document: written ones for what encoding cannot show (enums, maps, descriptions), and
/// `derived(full:minimal:)` for a contract type read off its encoded values.
public enum OpenAPISchema {
    /// `{"type": "string"}` (with a description, and a format such as `date-time`).
    public static func string(_ description: String? = nil, format: String? = nil) -> JSONValue {
        var object: JSONObject = ["type": .string("string")]
        if let format { object["format"] = .string(format) }
        if let description { object["description"] = .string(description) }
        return .object(object)
    }
    /// `{"type": "integer"}`.
    public static func integer(_ description: String? = nil) -> JSONValue { typed("integer", description) }
    /// `{"type": "number"}`.
    public static func number(_ description: String? = nil) -> JSONValue { typed("number", description) }
    /// `{"type": "boolean"}`.
    public static func boolean(_ description: String? = nil) -> JSONValue { typed("boolean", description) }
    /// `{"type": "array", "items": …}`.
    public static func array(_ items: JSONValue, _ description: String? = nil) -> JSONValue {
        var object: JSONObject = ["type": .string("array"), "items": items]
        if let description { object["description"] = .string(description) }
        return .object(object)
    }
    /// A reference to a component schema.
    public static func ref(_ name: String) -> JSONValue { .object(["$ref": .string("#/components/schemas/\(name)")]) }
    /// `{"type": "object", "additionalProperties": …}` (a map).
    public static func map(_ values: JSONValue, _ description: String? = nil) -> JSONValue {
        var object: JSONObject = ["type": .string("object"), "additionalProperties": values]
        if let description { object["description"] = .string(description) }
        return .object(object)
    }
    /// A nullable variant of a plain type (OpenAPI 3.1: a type list).
    public static func nullable(_ type: String) -> JSONValue { .object(["type": .array([.string(type), .string("null")])]) }
    /// `schema` or `null` (any schema, references included).
    public static func orNull(_ schema: JSONValue) -> JSONValue {
        .object(["anyOf": .array([schema, .object(["type": .string("null")])])])
    }
    /// One of several schemas.
    public static func anyOf(_ schemas: [JSONValue]) -> JSONValue { .object(["anyOf": .array(schemas)]) }
    /// A string enum.
    public static func choice(_ values: [String], _ description: String? = nil) -> JSONValue {
        var object: JSONObject = ["type": .string("string"), "enum": .array(values.map(JSONValue.string))]
        if let description { object["description"] = .string(description) }
        return .object(object)
    }
    /// Any JSON object.
    public static let freeForm: JSONValue = .object(["type": .string("object"), "additionalProperties": .bool(true)])
    /// Any JSON value.
    public static let anyValue: JSONValue = .object([:])
    /// Bytes (a file, an archive).
    public static let binary: JSONValue = .object(["type": .string("string"), "format": .string("binary")])

    /// An object schema with `properties` in order and the `required` ones.
    public static func object(_ properties: [(String, JSONValue)], required: [String]) -> JSONValue {
        .object(["type": .string("object"),
                 "properties": .object(JSONObject(properties.map { JSONObject.Member(key: $0.0, value: $0.1) })),
                 "required": .array(required.map(JSONValue.string))])
    }

    /// The schema of a contract type, read off two of its values as the handlers write
    /// them: `full` with every optional set, `minimal` with every optional absent
    /// (`JSONSchemaDerivation`); a property named in `overrides` takes that schema instead
    /// (enums, maps, what one sample cannot show), at any depth.
    public static func derived<T: Encodable>(full: T, minimal: T, overrides: [String: JSONValue] = [:]) -> JSONValue {
        JSONSchemaDerivation.schema(of: encoded(full), minimal: encoded(minimal), overrides: overrides)
    }

    /// `derived(full:minimal:)` for a type without optionals.
    public static func derived<T: Encodable>(_ value: T, overrides: [String: JSONValue] = [:]) -> JSONValue {
        JSONSchemaDerivation.schema(of: encoded(value), minimal: nil, overrides: overrides)
    }

    /// A value as the handlers write it (`JSONWriter`), read back.
    public static func encoded<T: Encodable>(_ value: T) -> JSONValue {
        (try? JSONParser().parse(JSON.encodeOrEmpty(value))) ?? .null
    }

    private static func typed(_ type: String, _ description: String?) -> JSONValue {
        var object: JSONObject = ["type": .string(type)]
        if let description { object["description"] = .string(description) }
        return .object(object)
    }
}
