import Contracts
import HTTPCore
import ServiceKit

extension QueryRoutes {
    /// `GET /api/v2/aibridge/sessions?q=&limit=&after_session_id=&offset=` → `{"count", "sessions"}`.
    func sessions(_ request: Request) async throws -> HTTPResponse {
        let caller = try Self.caller(request)
        let page = try Pagination.page(request.queryItems, cursor: .afterSessionID)
        let search = try Self.search(request, for: .sessions, message: QueryErrorText.invalidSessionSearch)
        let filter = try await filter(search, caller: caller, message: QueryErrorText.invalidSessionSearch)
        do {
            return .json(try await store.sessions(filter, page: page))
        } catch AIBridgeStoreError.sessionCursorNotFound(let id) {
            throw ServiceError(.badRequest, QueryErrorText.invalidSessionCursor,
                               detail: "after_session_id: session \(AIBridgeQueryAPI.quoted(id)) not found")
        } catch {
            throw ServiceError(.internalServerError, QueryErrorText.sessionsFailed)
        }
    }
}
