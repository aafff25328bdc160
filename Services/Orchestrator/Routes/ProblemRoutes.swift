import Contracts
import HTTPCore
import ServiceKit

extension OrchestratorRoutes {
    /// `POST /problem` → 201 `{"new_problem": {...}}`.
    func createProblem(_ req: Request) async throws -> HTTPResponse {
        try Self.authorize(req, Self.userRoles)
        let request = try await RequestBody.decode(OrchestratorAPI.CreateProblemRequest.self, req)
        try request.validate()
        let problem = try await store.createProblem(request)
        return try Self.answer(OrchestratorAPI.CreateProblemResponse(newProblem: problem), status: .created)
    }
}

extension OrchestratorAPI.CreateProblemRequest {
    /// Non-empty ids, at least one train data per learnuplet.
    func validate() throws {
        _ = try RequestBody.required(uuid)
        _ = try RequestBody.required(workflow)
        guard sizeTrainDataset >= 1 else { throw Failure.wrongKey }
    }
}
