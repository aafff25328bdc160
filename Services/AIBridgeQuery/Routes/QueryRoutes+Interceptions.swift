import Contracts
import HTTPCore
import ServiceKit

extension QueryRoutes {
    /// `GET /api/v2/aibridge/interceptions?q=&limit=&after_id=&offset=` → `{"count", "results"}`.
    func interceptions(_ request: Request) async throws -> HTTPResponse {
        let caller = try Self.caller(request)
        let page = try Pagination.page(request.queryItems, cursor: .afterID)
        let search = try Self.search(request, for: .interceptions, message: QueryErrorText.invalidInterceptionSearch)
        let filter = try await filter(search, caller: caller, message: QueryErrorText.invalidInterceptionSearch)
        do {
            return .json(try await store.interceptions(filter, page: page))
        } catch AIBridgeStoreError.interceptionCursorNotFound(let id) {
            throw ServiceError(.badRequest, QueryErrorText.invalidCursor,
                               detail: "after_id: interception \(id) not found: invalid pagination cursor")
        } catch {
            throw ServiceError(.internalServerError, QueryErrorText.interceptionsFailed)
        }
    }
}
