import Contracts
import HTTPCore
import JSON
import ServiceKit

extension OrchestratorRoutes {
    /// `GET /{collection}[?key=value&…][&limit=n][&after=position]` → `{"problems": [...]}`
    /// (`algos`, `datas`, `learnuplets`, `preduplets`): one page, with a `Link` to the next
    /// when more match (see `ListPaging`).
    func list(_ req: Request) async throws -> HTTPResponse {
        try Self.authorize(req, Self.userRoles)
        guard let collection = Collection(rawValue: try req.parameter("collection")) else { throw Failure.pageNotFound }
        let query = req.queryItems
        let (filters, page) = try paging.split(query)
        switch collection {
        case .problem:
            return try await listAnswer(OrchestratorAPI.Problem.self, query: query, filters: filters, page: page) {
                OrchestratorAPI.ProblemList(problems: $0)
            }
        case .algo:
            return try await listAnswer(OrchestratorAPI.Algo.self, query: query, filters: filters, page: page) {
                OrchestratorAPI.AlgoList(algos: $0)
            }
        case .data:
            return try await listAnswer(OrchestratorAPI.Data.self, query: query, filters: filters, page: page) {
                OrchestratorAPI.DataList(datas: $0)
            }
        case .learnuplet:
            return try await listAnswer(OrchestratorAPI.Learnuplet.self, query: query, filters: filters, page: page, bytesPerDocument: 640) {
                OrchestratorAPI.LearnupletList(learnuplets: $0)
            }
        case .preduplet:
            return try await listAnswer(OrchestratorAPI.Preduplet.self, query: query, filters: filters, page: page) {
                OrchestratorAPI.PredupletList(preduplets: $0)
            }
        }
    }

    /// A page of `type` as its list envelope (`envelope`), with a `Link` to the next page
    /// when there is one; `bytesPerDocument` sizes the answer's buffer.
    func listAnswer<Document: StoredDocument & SizedDocument, List: Encodable>(
        _ type: Document.Type, query: [(String, String)], filters: [(String, String)], page: PageRequest,
        bytesPerDocument: Int? = nil, envelope: ([Document]) -> List
    ) async throws -> HTTPResponse {
        let result = try await store.list(type, filters: filters, page: page)
        let capacity = bytesPerDocument.map { 64 + result.documents.count * $0 } ?? 1024
        var response = try Self.answer(envelope(result.documents), capacity: capacity)
        if let next = result.next {
            response.headers.add("Link", paging.nextLink(Document.collection, query: query, next: next))
        }
        return response
    }

    /// `GET /{collection}/{uuid}` → the document; 404 when unknown.
    func document(_ req: Request) async throws -> HTTPResponse {
        try Self.authorize(req, Self.userRoles)
        guard let collection = Collection(rawValue: try req.parameter("collection")) else { throw Failure.pageNotFound }
        let uuid = try req.parameter("uuid")
        switch collection {
        case .problem: return try await answer(OrchestratorAPI.Problem.self, uuid: uuid)
        case .algo: return try await answer(OrchestratorAPI.Algo.self, uuid: uuid)
        case .data: return try await answer(OrchestratorAPI.Data.self, uuid: uuid)
        case .learnuplet: return try await answer(OrchestratorAPI.Learnuplet.self, uuid: uuid)
        case .preduplet: return try await answer(OrchestratorAPI.Preduplet.self, uuid: uuid)
        }
    }

    /// The stored document `uuid` of `type`; 404 when unknown.
    func answer<Document: StoredDocument>(_ type: Document.Type, uuid: String) async throws -> HTTPResponse {
        guard let document = try await store.document(type, uuid: uuid) else { throw Failure.pageNotFound }
        return try Self.answer(document)
    }

    /// A contract value as the JSON answer (through `JSONWriter`, into one buffer of
    /// about `capacity` bytes).
    static func answer<T: Encodable>(_ value: T, status: HTTPStatus = .ok, capacity: Int = 1024) throws -> HTTPResponse {
        .rawJSON(try JSONWriter.encode(value, capacity: capacity), status: status)
    }
}
