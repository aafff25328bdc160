import Contracts
import HTTPCore
import ServiceKit

extension OrchestratorRoutes {
    /// `POST /algo` → 201 `{"new_algo": {...}, "new_learnuplets": n}`.
    func createAlgo(_ req: Request) async throws -> HTTPResponse {
        try Self.authorize(req, Self.userRoles)
        let request = try await RequestBody.decode(OrchestratorAPI.CreateAlgoRequest.self, req)
        try request.validate()
        let answer = try await store.createAlgo(request)
        return try Self.answer(answer, status: .created)
    }
}

extension OrchestratorAPI.CreateAlgoRequest {
    /// Non-empty ids and name.
    func validate() throws {
        _ = try RequestBody.required(uuid)
        _ = try RequestBody.required(name)
        _ = try RequestBody.required(problem)
    }
}
