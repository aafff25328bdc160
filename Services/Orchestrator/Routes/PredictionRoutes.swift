import Contracts
import HTTPCore
import ServiceKit

extension OrchestratorRoutes {
    /// `POST /prediction` → 201 the new preduplet.
    func requestPrediction(_ req: Request) async throws -> HTTPResponse {
        try Self.authorize(req, Self.userRoles)
        let object = try await RequestBody.object(req)
        // Both keys first (`wrong key`), then `data` (`data field should be an UUID`).
        guard object["data"] != nil, object["problem"] != nil else { throw Failure.wrongKey }
        let request = try RequestBody.decode(OrchestratorAPI.PredictionRequest.self, from: object) { error in
            error.topLevelKey == "data" ? Failure.dataNotUUID : Failure.wrongKey
        }
        try request.validate()
        let preduplet = try await store.requestPrediction(request)
        return try Self.answer(preduplet, status: .created)
    }
}

extension OrchestratorAPI.PredictionRequest {
    /// A non-empty data id and problem.
    func validate() throws {
        guard !data.isEmpty else { throw Failure.dataNotUUID }
        _ = try RequestBody.required(problem)
    }
}
