import HTTPCore

/// CORS for a list of allowed origins (`*` allows any): answers preflights with 204
/// and adds the allow headers to responses for allowed origins.
public struct CORSMiddleware: Middleware {
    let origins: [String]
    let allowHeaders: String
    let allowMethods: String

    public init(origins: [String], allowHeaders: String = "*", allowMethods: String = "GET, POST, PUT, PATCH, DELETE, OPTIONS") {
        self.origins = origins
        self.allowHeaders = allowHeaders
        self.allowMethods = allowMethods
    }

    func allowed(_ origin: String) -> Bool { origins.contains("*") || origins.contains(origin) }

    public func handle(_ request: Request, next: Next) async throws -> HTTPResponse {
        guard let origin = request.headers["Origin"], !origins.isEmpty else { return try await next(request) }
        if request.method == .OPTIONS, request.headers.contains("Access-Control-Request-Method") {
            guard allowed(origin) else { return HTTPResponse(status: .forbidden) }
            var r = HTTPResponse(status: .noContent)
            decorate(&r, origin)
            r.headers.set("Access-Control-Allow-Methods", allowMethods)
            r.headers.set("Access-Control-Allow-Headers", request.headers["Access-Control-Request-Headers"] ?? allowHeaders)
            r.headers.set("Access-Control-Max-Age", "600")
            return r
        }
        var response = try await next(request)
        if allowed(origin) { decorate(&response, origin) }
        return response
    }

    private func decorate(_ r: inout HTTPResponse, _ origin: String) {
        r.headers.set("Access-Control-Allow-Origin", origins.contains("*") ? "*" : origin)
        if !origins.contains("*") { r.headers.set("Access-Control-Allow-Credentials", "true") }
        r.headers.add("Vary", "Origin")
    }
}
