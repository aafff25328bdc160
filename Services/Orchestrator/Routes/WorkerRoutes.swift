import Contracts
import HTTPCore
import ServiceKit

extension OrchestratorRoutes {
    /// `POST /worker/{learnuplet|preduplet}/{uuid}` → `{"learnuplet_worker_set": uuid}`
    /// (or `preduplet_worker_set`); a lost claim is 400 `worker not set for …`.
    func setWorker(_ req: Request) async throws -> HTTPResponse {
        try Self.authorize(req, Self.computeRoles)
        guard let type = UpletType(rawValue: try req.parameter("uuid")) else { throw Failure.pageNotFound }
        let id = try req.parameter("id")
        let request = try await RequestBody.decode(OrchestratorAPI.SetWorkerRequest.self, req)
        let worker = try RequestBody.required(request.worker)
        let outcome = try await store.claim(type, id: id, worker: worker)
        claims.count(type, outcome)
        switch outcome {
        case .won:
            let answer = type == .learnuplet
                ? OrchestratorAPI.SetWorkerResponse(learnupletWorkerSet: id)
                : OrchestratorAPI.SetWorkerResponse(predupletWorkerSet: id)
            return try Self.answer(answer, capacity: 96)
        case .notFound: throw Failure.pageNotFound
        case .lost:
            // A common answer under contention: written here rather than thrown and
            // rendered by the error middleware (same bytes).
            return try Self.answer(MorpheoError(error: Failure.workerNotSet(type, id).message), status: .badRequest, capacity: 128)
        }
    }
}
