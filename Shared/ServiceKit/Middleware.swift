import HTTPCore

/// The rest of the chain, as seen by a middleware.
public typealias Next = @Sendable (Request) async throws -> HTTPResponse

/// One step around every request: may change the request, answer it, or change the
/// response of the rest of the chain.
public protocol Middleware: Sendable {
    func handle(_ request: Request, next: Next) async throws -> HTTPResponse
}

extension Array where Element == any Middleware {
    /// Folds the middlewares around `terminal`, first element outermost.
    func chain(_ terminal: @escaping Next) -> Next {
        reversed().reduce(terminal) { next, m in
            { request in try await m.handle(request, next: next) }
        }
    }
}
