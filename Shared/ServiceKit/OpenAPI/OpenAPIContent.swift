import JSON

/// A body's media types and the schema of each (`content` of a request body or response).
public struct OpenAPIContent: Sendable {
    /// Media type → schema, in order.
    public var types: [(mediaType: String, schema: JSONValue)]

    /// Content of the given media types.
    public init(_ types: [(mediaType: String, schema: JSONValue)]) { self.types = types }

    /// `application/json` with `schema`.
    public static func json(_ schema: JSONValue) -> OpenAPIContent { OpenAPIContent([("application/json", schema)]) }

    /// `text/plain` (a string).
    public static let text = OpenAPIContent([("text/plain", OpenAPISchema.string())])

    /// The Content map.
    public var json: JSONValue {
        .object(JSONObject(types.map { JSONObject.Member(key: $0.mediaType, value: .object(["schema": $0.schema])) }))
    }
}
