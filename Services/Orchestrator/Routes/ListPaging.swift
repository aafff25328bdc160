import ServiceKit

/// Paging of `GET /{collection}`, additive to the original's list envelope: without
/// paging parameters a client gets the first `LIST_PAGE_SIZE` documents in the same
/// `{"learnuplets": [...]}` body as before; when more match, the answer carries
/// `Link: <learnuplet?…&after=N>; rel="next"` (a reference relative to the request's
/// path, so it also resolves under the gateway's `/orchestrator/`). `limit` (1…
/// `LIST_MAX_PAGE_SIZE`, a larger one lowered) and `after` (a position taken from that
/// link) are the two query parameters no document key uses; every other one filters.
struct ListPaging: Sendable {
    /// The page sizes.
    let limits: OrchestratorLimits
    /// Answers that stopped before the last matching document, by collection
    /// (`orchestrator_list_pages_cut_total`).
    let cut: [Collection: MetricCell]

    /// The query parameter that sets the page size.
    static let limitKey = "limit"
    /// The query parameter that names where a page starts.
    static let afterKey = "after"

    /// Paging with `limits`, counting cut lists in `metrics`.
    init(limits: OrchestratorLimits, metrics: Metrics) {
        self.limits = limits
        cut = Dictionary(uniqueKeysWithValues: Collection.allCases.map { collection in
            (collection, metrics.counter("orchestrator_list_pages_cut_total",
                                         help: "GET /{collection} answers that stopped at LIST_PAGE_SIZE, the limit or LIST_PAGE_MAX_BYTES (Link rel=next sent)",
                                         labels: [("collection", collection.rawValue)]))
        })
    }

    /// The filters and the page a query asks for; 400 for a `limit` or `after` that is not
    /// a whole number in range (the last of a repeated one counts).
    func split(_ query: [(String, String)]) throws -> (filters: [(String, String)], page: PageRequest) {
        var filters: [(String, String)] = []
        var page = PageRequest(limit: limits.listPageSize, after: nil, maxBytes: limits.listPageMaxBytes)
        for (key, value) in query {
            switch key {
            case Self.limitKey:
                guard let limit = Int(value), limit >= 1 else { throw Failure.badPaging(key) }
                page.limit = min(limit, limits.listMaxPageSize)
            case Self.afterKey:
                guard let after = Int64(value), after >= 0 else { throw Failure.badPaging(key) }
                page.after = after
            default:
                filters.append((key, value))
            }
        }
        return (filters, page)
    }

    /// The `Link` header of a page of `collection` whose next page starts after `next`: the
    /// same query with `after` replaced.
    func nextLink(_ collection: Collection, query: [(String, String)], next: Int64) -> String {
        cut[collection]?.add()
        var items = query.filter { $0.0 != Self.afterKey }.map { FormCoding.percentEncode($0.0) + "=" + FormCoding.percentEncode($0.1) }
        items.append("\(Self.afterKey)=\(next)")
        return "<\(collection.rawValue)?\(items.joined(separator: "&"))>; rel=\"next\""
    }
}
