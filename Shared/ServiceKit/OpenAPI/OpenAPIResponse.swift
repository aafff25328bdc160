import HTTPCore
import JSON

/// One documented answer of an operation: its status, what it means, its body.
public struct OpenAPIResponse: Sendable {
    /// The status code (`"200"`).
    public var status: Int
    /// What the answer means (the reason phrase by default).
    public var description: String
    /// The body's media types and schemas (nil: no body).
    public var content: OpenAPIContent?
    /// Response headers worth naming (name → description).
    public var headers: [(name: String, description: String)]

    /// An answer.
    public init(status: Int, description: String? = nil, content: OpenAPIContent?, headers: [(name: String, description: String)] = []) {
        self.status = status
        self.description = description ?? HTTPStatus(status).reason
        self.content = content
        self.headers = headers
    }

    /// A JSON answer with `schema`.
    public static func json(_ status: Int, _ schema: JSONValue, _ description: String? = nil) -> OpenAPIResponse {
        OpenAPIResponse(status: status, description: description, content: .json(schema))
    }

    /// A plain-text answer.
    public static func text(_ status: Int, _ description: String? = nil) -> OpenAPIResponse {
        OpenAPIResponse(status: status, description: description, content: .text)
    }

    /// The Response Object.
    public var json: JSONValue {
        var object: JSONObject = ["description": .string(description.isEmpty ? "Status \(status)" : description)]
        if !headers.isEmpty {
            object["headers"] = .object(JSONObject(headers.map {
                JSONObject.Member(key: $0.name, value: .object(["description": .string($0.description), "schema": OpenAPISchema.string()]))
            }))
        }
        if let content { object["content"] = content.json }
        return .object(object)
    }
}
