import Contracts
import JSON

/// JSON Schema (2020-12, as OpenAPI 3.1 uses it) read off encoded contract values: a
/// value with every optional set gives the properties and their types, the same value
/// with every optional absent gives which keys are required (present) and which may be
/// `null` (written as null). An empty object is a free-form object (metadata); a string
/// that reads as an RFC 3339 timestamp has `format: date-time`; an integer is `integer`,
/// a fractional number `number`. A property named in `overrides` takes that schema.
public enum JSONSchemaDerivation {
    /// The schema of `full`, with requirements from `minimal` (nil: every key required).
    public static func schema(of full: JSONValue, minimal: JSONValue?, overrides: [String: JSONValue] = [:]) -> JSONValue {
        switch full {
        case .null: return .object(["type": .string("null")])
        case .bool: return .object(["type": .string("boolean")])
        case .int: return .object(["type": .string("integer")])
        case .double: return .object(["type": .string("number")])
        case .string(let text):
            if (try? AIBridgeQueryAPI.Timestamp.parse(text)) != nil {
                return .object(["type": .string("string"), "format": .string("date-time")])
            }
            return .object(["type": .string("string")])
        case .array(let elements):
            guard let first = elements.first else { return .object(["type": .string("array")]) }
            return .object(["type": .string("array"), "items": schema(of: first, minimal: minimal?.array?.first, overrides: overrides)])
        case .object(let members):
            guard !members.isEmpty else {
                return .object(["type": .string("object"), "additionalProperties": .bool(true)])
            }
            let minimalMembers = minimal?.object
            var properties = JSONObject()
            var required: [JSONValue] = []
            for (key, value) in members {
                let counterpart = minimalMembers?[key]
                var property = overrides[key] ?? schema(of: value, minimal: counterpart, overrides: overrides)
                if counterpart?.isNull == true { property = nullable(property) }
                properties[key] = property
                if minimalMembers == nil || counterpart != nil { required.append(.string(key)) }
            }
            return .object(["type": .string("object"), "properties": .object(properties), "required": .array(required)])
        }
    }

    /// `schema` that may also be `null`: a type list when it has a plain type, else `anyOf`.
    static func nullable(_ schema: JSONValue) -> JSONValue {
        guard case .object(var described) = schema else { return schema }
        if case .array(let values)? = described["enum"], !values.contains(.null) { described["enum"] = .array(values + [.null]) }
        switch described["type"] {
        case .string(let type)?:
            described["type"] = .array([.string(type), .string("null")])
            return .object(described)
        case .array(let types)? where !types.contains(.string("null")):
            described["type"] = .array(types + [.string("null")])
            return .object(described)
        case .array?:
            return schema
        default:
            return OpenAPISchema.orNull(schema)
        }
    }
}
