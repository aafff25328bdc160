import JSON
import ServiceKit

extension GatewayOpenAPI {
    /// The prefix `service` sits under at the gateway: a route that strips its prefix
    /// (`/orchestrator/` → `/orchestrator`), else none (the service's paths are the gateway's).
    static func basePath(of service: String, in table: ProxyTable) -> String {
        guard let route = table.routes.first(where: { $0.upstream.name == service && $0.stripPrefix }) else { return "" }
        var prefix = route.prefix
        while prefix.hasSuffix("/") { prefix.removeLast() }
        return prefix
    }

    /// A service's own document as the gateway exposes it: only the paths the gateway's
    /// table sends to that service unchanged (under its base path), a `servers` entry that
    /// makes "Try it out" go through the gateway (`/` or the base path, relative to where
    /// the document was loaded), the gateway's credentials as the security schemes
    /// (through the gateway every path needs one), and the gateway's own errors
    /// (`gatewayErrors`, `{"code","description"}`) on every operation.
    static func throughGateway(_ document: JSONValue, service: String, table: ProxyTable) -> JSONValue {
        guard case .object(var object) = document else { return document }
        let base = basePath(of: service, in: table)
        var kept = JSONObject()
        for (path, item) in object["paths"]?.object ?? JSONObject() {
            guard let (route, upstreamPath) = table.match(base + path), route.upstream.name == service, upstreamPath == path,
                  case .object(var operations) = item else { continue }
            for (method, operation) in operations {
                guard case .object(var fields) = operation else { continue }
                fields["security"] = nil
                fields["responses"] = .object(addingGatewayErrors(to: fields["responses"]?.object ?? JSONObject()))
                operations[method] = .object(fields)
            }
            kept[path] = .object(operations)
        }
        object["paths"] = .object(kept)
        object["servers"] = .array([.object(["url": .string(base.isEmpty ? "/" : base),
                                             "description": .string("through the auth-gateway")])])
        var components = object["components"]?.object ?? JSONObject()
        components["securitySchemes"] = .object(securitySchemes)
        object["components"] = .object(components)
        object["security"] = .array(securitySchemes.keys.map { .object([$0: .array([])]) })
        return .object(object)
    }

    /// `responses` with the gateway's own errors: a status the service documents too may
    /// carry either envelope.
    static func addingGatewayErrors(to responses: JSONObject) -> JSONObject {
        var responses = responses
        let envelope = ErrorEnvelope.codeDescription.schema
        for status in gatewayErrors.map(String.init) {
            guard case .object(var response)? = responses[status] else {
                responses[status] = OpenAPIResponse(status: Int(status) ?? 400, description: "from the gateway",
                                                    content: .json(envelope)).json
                continue
            }
            var content = response["content"]?.object ?? JSONObject()
            let schema = content["application/json"]?.object?["schema"]
            content["application/json"] = .object(["schema": schema.map { OpenAPISchema.anyOf([$0, envelope]) } ?? envelope])
            response["content"] = .object(content)
            responses[status] = .object(response)
        }
        return responses
    }
}
