import Contracts
import HTTPCore
import JSON
import ServiceKit

extension OrchestratorRoutes {
    /// `GET /{collection}[?key=value&…]` → `{"problems": [...]}` (`algos`, `datas`,
    /// `learnuplets`, `preduplets`).
    func list(_ req: Request) async throws -> HTTPResponse {
        try Self.authorize(req, Self.userRoles)
        guard let collection = Collection(rawValue: try req.parameter("collection")) else { throw Failure.pageNotFound }
        let filters = req.queryItems
        switch collection {
        case .problem: return try Self.answer(OrchestratorAPI.ProblemList(problems: try await store.list(OrchestratorAPI.Problem.self, filters: filters)))
        case .algo: return try Self.answer(OrchestratorAPI.AlgoList(algos: try await store.list(OrchestratorAPI.Algo.self, filters: filters)))
        case .data: return try Self.answer(OrchestratorAPI.DataList(datas: try await store.list(OrchestratorAPI.Data.self, filters: filters)))
        case .learnuplet:
            let learnuplets = try await store.list(OrchestratorAPI.Learnuplet.self, filters: filters)
            return try Self.answer(OrchestratorAPI.LearnupletList(learnuplets: learnuplets), capacity: 64 + learnuplets.count * 640)
        case .preduplet:
            return try Self.answer(OrchestratorAPI.PredupletList(preduplets: try await store.list(OrchestratorAPI.Preduplet.self, filters: filters)))
        }
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
