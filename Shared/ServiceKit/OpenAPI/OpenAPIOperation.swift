import HTTPCore
import JSON

/// One documented route: method and path (as the router has it, `{name}` parameters),
/// its parameters, body and answers. `errors` are statuses answered in the service's
/// error envelope (the document adds their schema).
public struct OpenAPIOperation: Sendable {
    /// The method.
    public var method: HTTPMethod
    /// The path, `{name}` for a parameter segment.
    public var path: String
    /// One line.
    public var summary: String
    /// More, when one line is not enough.
    public var description: String?
    /// Groups in the UI.
    public var tags: [String]
    /// Query, header and path parameters (a `{name}` of the path not listed here is added as a string).
    public var parameters: [OpenAPIParameter]
    /// The request body, if any.
    public var requestBody: OpenAPIRequestBody?
    /// The answers other than errors.
    public var responses: [OpenAPIResponse]
    /// Statuses answered with the service's error envelope.
    public var errors: [Int]
    /// Whether the route needs no credentials (`security: []`).
    public var isPublic: Bool
    /// Whether the route calls an upstream outside this system (an LLM provider, GitHub):
    /// its 502/504 (documented in `errors`) are that upstream's failures, not ours.
    /// Written as `x-calls-outside-upstream: true`.
    public var callsOutsideUpstream: Bool

    /// An operation.
    public init(_ method: HTTPMethod, _ path: String, summary: String, description: String? = nil, tags: [String] = [],
                parameters: [OpenAPIParameter] = [], requestBody: OpenAPIRequestBody? = nil, responses: [OpenAPIResponse],
                errors: [Int] = [], isPublic: Bool = false, callsOutsideUpstream: Bool = false) {
        self.method = method
        self.path = path
        self.summary = summary
        self.description = description
        self.tags = tags
        self.parameters = parameters
        self.requestBody = requestBody
        self.responses = responses
        self.errors = errors
        self.isPublic = isPublic
        self.callsOutsideUpstream = callsOutsideUpstream
    }

    /// The extension key that marks a route calling an outside upstream.
    public static let outsideUpstreamKey = "x-calls-outside-upstream"

    /// `get_api_tasks_task_id`: the method and the path's words.
    public var operationID: String {
        let words = path.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        return ([method.rawValue.lowercased()] + words).joined(separator: "_")
    }

    /// The path's `{name}` segments, in order.
    public var pathParameterNames: [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) }
    }

    /// The Operation Object, errors answered with `errorSchema`.
    public func json(errorSchema: JSONValue) -> JSONValue {
        var object: JSONObject = ["summary": .string(summary), "operationId": .string(operationID)]
        if let description { object["description"] = .string(description) }
        if !tags.isEmpty { object["tags"] = .array(tags.map(JSONValue.string)) }
        var all = parameters
        for name in pathParameterNames where !all.contains(where: { $0.location == .path && $0.name == name }) {
            all.append(.path(name))
        }
        if !all.isEmpty { object["parameters"] = .array(all.map(\.json)) }
        if let requestBody { object["requestBody"] = requestBody.json }
        var answers = JSONObject()
        for response in responses { answers[String(response.status)] = response.json }
        for status in errors where answers[String(status)] == nil {
            answers[String(status)] = OpenAPIResponse(status: status, content: .json(errorSchema)).json
        }
        object["responses"] = .object(answers)
        if isPublic { object["security"] = .array([]) }
        if callsOutsideUpstream { object[OpenAPIOperation.outsideUpstreamKey] = .bool(true) }
        return .object(object)
    }
}
