import Contracts
import HTTPCore
import ServiceKit

extension OrchestratorRoutes {
    /// `POST /learndone/{uuid}` → `{"updated_learnuplet": uuid}`.
    func learnDone(_ req: Request) async throws -> HTTPResponse {
        try Self.authorize(req, Self.computeRoles)
        let id = try req.parameter("uuid")
        let request = try await RequestBody.decode(OrchestratorAPI.LearnDoneRequest.self, req)
        try await store.learnDone(id: id, result: try request.validated())
        return try Self.answer(OrchestratorAPI.LearnDoneResponse(updatedLearnuplet: id), capacity: 96)
    }

    /// `POST /preddone/{uuid}` → `{"updated_preduplet": uuid}`.
    func predDone(_ req: Request) async throws -> HTTPResponse {
        try Self.authorize(req, Self.computeRoles)
        let id = try req.parameter("uuid")
        let request = try await RequestBody.decode(OrchestratorAPI.PredDoneRequest.self, req)
        try request.validate()
        try await store.predDone(id: id, result: request)
        return try Self.answer(OrchestratorAPI.PredDoneResponse(updatedPreduplet: id), capacity: 96)
    }
}

extension OrchestratorAPI.LearnDoneRequest {
    /// `done` with a finite perf and both performance objects of finite numbers, or
    /// `failed` keeping what is valid of the rest.
    func validated() throws -> Self {
        var result = self
        switch status {
        case .done:
            guard let perf, perf.isFinite, let trainPerf, trainPerf.isFinite, let testPerf, testPerf.isFinite else { throw Failure.wrongKey }
        case .failed:
            if let perf, !perf.isFinite { result.perf = nil }
            if let trainPerf, !trainPerf.isFinite { result.trainPerf = nil }
            if let testPerf, !testPerf.isFinite { result.testPerf = nil }
        case .todo, .pending:
            throw Failure.wrongKey
        }
        return result
    }
}

extension OrchestratorAPI.PredDoneRequest {
    /// `done` with a non-empty storage id, or `failed`.
    func validate() throws {
        switch status {
        case .done: _ = try RequestBody.required(predictionStorageUUID ?? "")
        case .failed: break
        case .todo, .pending: throw Failure.wrongKey
        }
    }
}
