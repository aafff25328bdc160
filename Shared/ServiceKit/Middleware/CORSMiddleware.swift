import HTTPCore

/// CORS for a list of allowed origins (`*` allows any): answers preflights with 204
/// and adds the allow headers to responses for allowed origins. A preflight's
/// `Access-Control-Allow-Headers` names the requested headers that are on the allow-list
/// (never `*`: with `Access-Control-Allow-Credentials: true` a browser reads `*` as a
/// header literally named `*`, and a request sending `Authorization` would be blocked).
public struct CORSMiddleware: Middleware {
    let origins: [String]
    /// The allow-list, lowercased.
    let allowedHeaders: Set<String>
    let allowMethods: String

    /// The request headers a browser client of these APIs sends: credentials
    /// (`Authorization`, `Session-ID`, `API-Key`, `Coder-Session-Token`), bodies
    /// (`Content-Type`), request ids and caching, SSE resumption.
    public static let defaultAllowedHeaders = [
        "Accept", "Accept-Language", "Content-Language", "Content-Type", "Authorization", "Session-ID", "API-Key",
        "Coder-Session-Token", "X-Request-Id", "Cache-Control", "If-None-Match", "If-Match", "Last-Event-ID",
    ]

    public init(origins: [String], allowedHeaders: [String] = CORSMiddleware.defaultAllowedHeaders,
                allowMethods: String = "GET, POST, PUT, PATCH, DELETE, OPTIONS") {
        self.origins = origins
        self.allowedHeaders = Set(allowedHeaders.map { $0.lowercased() })
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
            let granted = grantedHeaders(request.headers["Access-Control-Request-Headers"] ?? "")
            if !granted.isEmpty { r.headers.set("Access-Control-Allow-Headers", granted) }
            r.headers.set("Access-Control-Max-Age", "600")
            r.headers.add("Vary", "Access-Control-Request-Method, Access-Control-Request-Headers")
            return r
        }
        var response = try await next(request)
        if allowed(origin) { decorate(&response, origin) }
        return response
    }

    /// The requested header names (a comma-separated list) that are on the allow-list,
    /// as requested, lowercased (header names are case-insensitive; browsers send them
    /// lowercased).
    func grantedHeaders(_ requested: String) -> String {
        requested.split(separator: ",").lazy
            .map { $0.trimmingSpaces.lowercased() }
            .filter { !$0.isEmpty && allowedHeaders.contains($0) }
            .joined(separator: ", ")
    }

    private func decorate(_ r: inout HTTPResponse, _ origin: String) {
        r.headers.set("Access-Control-Allow-Origin", origins.contains("*") ? "*" : origin)
        if !origins.contains("*") { r.headers.set("Access-Control-Allow-Credentials", "true") }
        r.headers.add("Vary", "Origin")
    }
}
