import Contracts
import HTTPCore
import ServiceKit

extension OrchestratorRoutes {
    /// `POST /data` → 201 `{"new_datas": [...], "new_learnuplets": n}`.
    func createData(_ req: Request) async throws -> HTTPResponse {
        try Self.authorize(req, Self.userRoles)
        let request = try await RequestBody.decode(OrchestratorAPI.CreateDataRequest.self, req)
        try request.validate()
        let answer = try await store.createData(request)
        return try Self.answer(answer, status: .created, capacity: 64 + answer.newDatas.count * 96)
    }
}

extension OrchestratorAPI.CreateDataRequest {
    /// At least one data id; no empty id.
    func validate() throws {
        guard !uuid.isEmpty, !uuid.contains(where: \.isEmpty), !problems.contains(where: \.isEmpty) else { throw Failure.wrongKey }
    }
}
