import HTTPCore
import ServiceKit

/// Tells the `UserDirectory` who each vouched-for caller is before the route runs. A
/// failure to write is logged and does not fail the request.
struct UserDirectoryMiddleware: Middleware {
    /// Where names go.
    let directory: UserDirectory
    /// Where a failure is reported.
    let logger: Logger

    func handle(_ request: Request, next: Next) async throws -> HTTPResponse {
        if let identity = request.identity, identity.name != identity.userID {
            do {
                try await directory.saw(id: identity.userID, name: identity.name)
            } catch {
                logger.warning("could not remember a user's name", [("error", "\(error)")])
            }
        }
        return try await next(request)
    }
}
