import JSON

/// An operation's request body.
public struct OpenAPIRequestBody: Sendable {
    /// Whether a request must carry one.
    public var required: Bool
    /// The accepted media types and their schemas.
    public var content: OpenAPIContent
    /// What it holds.
    public var description: String?

    /// A request body.
    public init(content: OpenAPIContent, required: Bool = true, description: String? = nil) {
        self.content = content
        self.required = required
        self.description = description
    }

    /// A JSON body with `schema`.
    public static func json(_ schema: JSONValue, required: Bool = true) -> OpenAPIRequestBody {
        OpenAPIRequestBody(content: .json(schema), required: required)
    }

    /// The Request Body Object.
    public var json: JSONValue {
        var object: JSONObject = ["required": .bool(required)]
        if let description { object["description"] = .string(description) }
        object["content"] = content.json
        return .object(object)
    }
}
