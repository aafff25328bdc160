import Contracts
import JSON

/// JSON Schema (2020-12, as OpenAPI 3.1 uses it) read off encoded contract values: a
/// value with every optional set gives the properties and their types, the same value
/// with every optional absent gives which keys are required (present) and which may be
/// `null` (written as null). An empty object is a free-form object (metadata); a string
/// that reads as a timestamp has `format: date-time`.
enum JSONSchemaDerivation {
    /// The schema of `full`, with requirements from `minimal` (nil: every key required).
    static func schema(of full: JSONValue, minimal: JSONValue?) -> JSONValue {
        switch full {
        case .null: return .object(["type": .string("null")])
        case .bool: return .object(["type": .string("boolean")])
        case .int: return .object(["type": .string("integer"), "format": .string("int64")])
        case .double: return .object(["type": .string("number")])
        case .string(let text):
            if (try? AIBridgeQueryAPI.Timestamp.parse(text)) != nil {
                return .object(["type": .string("string"), "format": .string("date-time")])
            }
            return .object(["type": .string("string")])
        case .array(let elements):
            guard let first = elements.first else { return .object(["type": .string("array")]) }
            return .object(["type": .string("array"), "items": schema(of: first, minimal: minimal?.array?.first)])
        case .object(let members):
            guard !members.isEmpty else {
                return .object(["type": .string("object"), "additionalProperties": .bool(true)])
            }
            let minimalMembers = minimal?.object
            var properties = JSONObject()
            var required: [JSONValue] = []
            for (key, value) in members {
                let counterpart = minimalMembers?[key]
                var property = schema(of: value, minimal: counterpart)
                if counterpart?.isNull == true, case .object(var described) = property, let type = described["type"] {
                    described["type"] = .array([type, .string("null")])
                    property = .object(described)
                }
                properties[key] = property
                if minimalMembers == nil || counterpart != nil { required.append(.string(key)) }
            }
            return .object(["type": .string("object"), "properties": .object(properties), "required": .array(required)])
        }
    }
}
