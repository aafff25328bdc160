import Contracts
import HTTPCore
import ServiceKit

extension QueryRoutes {
    /// `GET /api/v2/aibridge/models?q=&limit=&offset=` → the distinct models, ascending;
    /// `q` is a case-sensitive prefix (a bare term or `model:`).
    func models(_ request: Request) async throws -> HTTPResponse {
        let caller = try Self.caller(request)
        let page = try Pagination.page(request.queryItems, cursor: .none)
        let search = try Self.search(request, for: .models, message: QueryErrorText.invalidModelSearch)
        do {
            return .json(try await store.models(prefix: search.model, visibleInitiator: caller.visibleInitiator,
                                                limit: page.limit, offset: page.offset))
        } catch {
            throw ServiceError(.internalServerError, QueryErrorText.modelsFailed)
        }
    }
}
