import JSON

/// One parameter of an operation: in the path, the query or a header.
public struct OpenAPIParameter: Sendable {
    /// Where the parameter is read.
    public enum Location: String, Sendable {
        /// A `{name}` segment of the path.
        case path
        /// A query-string field.
        case query
        /// A request header.
        case header
    }

    /// The parameter's name.
    public var name: String
    /// Where it is read.
    public var location: Location
    /// Whether a request must carry it (path parameters always do).
    public var required: Bool
    /// Its value's schema.
    public var schema: JSONValue
    /// What it means.
    public var description: String?

    /// A parameter.
    public init(name: String, location: Location, required: Bool, schema: JSONValue, description: String? = nil) {
        self.name = name
        self.location = location
        self.required = location == .path ? true : required
        self.schema = schema
        self.description = description
    }

    /// A query-string field (optional unless `required`).
    public static func query(_ name: String, _ schema: JSONValue, _ description: String? = nil, required: Bool = false) -> OpenAPIParameter {
        OpenAPIParameter(name: name, location: .query, required: required, schema: schema, description: description)
    }

    /// A `{name}` path segment (a string unless said otherwise).
    public static func path(_ name: String, _ schema: JSONValue = OpenAPISchema.string(), _ description: String? = nil) -> OpenAPIParameter {
        OpenAPIParameter(name: name, location: .path, required: true, schema: schema, description: description)
    }

    /// A request header (optional unless `required`).
    public static func header(_ name: String, _ schema: JSONValue, _ description: String? = nil, required: Bool = false) -> OpenAPIParameter {
        OpenAPIParameter(name: name, location: .header, required: required, schema: schema, description: description)
    }

    /// The Parameter Object.
    public var json: JSONValue {
        var object: JSONObject = ["name": .string(name), "in": .string(location.rawValue), "required": .bool(required)]
        if let description { object["description"] = .string(description) }
        object["schema"] = schema
        return .object(object)
    }
}
