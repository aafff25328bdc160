import HTTPCore
import ServiceKit

/// Under LEGACY_CLIENT_ERRORS=1: `/session`, `/predict` and `/mass_upload` answer errors
/// with HTTP 200 and the same `{"code","description"}` body (the original server did,
/// and its VS Code client reads `"code": 403` from a 2xx body to start a new session).
struct LegacyClientErrorsMiddleware: Middleware {
    /// The envelope errors are rendered in.
    let envelope: ErrorEnvelope
    /// The paths (and those under them) answered this way.
    static let paths = ["/session", "/predict", "/mass_upload"]

    /// Whether `path` is one of `paths` or under one.
    static func applies(_ path: String) -> Bool {
        paths.contains { path == $0 || path.hasPrefix($0 + "/") }
    }

    /// Runs the request; an error answer becomes 200 with `X-Original-Status`.
    func handle(_ request: Request, next: Next) async throws -> HTTPResponse {
        guard Self.applies(request.path) else { return try await next(request) }
        var response: HTTPResponse
        do {
            response = try await next(request)
        } catch let error as ServiceError {
            response = envelope.render(error)
        }
        if response.status.code >= 400 {
            response.headers.set("X-Original-Status", String(response.status.code))
            response.status = .ok
        }
        return response
    }
}
