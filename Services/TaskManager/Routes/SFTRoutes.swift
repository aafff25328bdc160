import Contracts
import HTTPCore
import ServiceKit

extension TaskManagerRoutes {
    /// `POST /api/sft/generate` → `{"data": "<JSONL>"}`; progress to `/ws` under the
    /// request's `jobId` (also the bridge's session id), which `X-Job-Id` repeats.
    func generateSFT(_ request: Request) async throws -> HTTPResponse {
        let body = try await RequestDecoding.decode(TaskManagerAPI.SFTGenerateRequest.self, from: request)
        let job = try SFTGenerator.job(body)
        let progress = ProgressReporter(hub: hub, owner: Self.owner(request), jobID: try JobID.resolve(body.jobId))
        do {
            let data = try await sft.generate(job, identity: request.identity, requestID: request.requestID, progress: progress)
            await progress.finish()
            var response = HTTPResponse.json(TaskManagerAPI.SFTGenerateResponse(data: data))
            response.headers.set("X-Job-Id", progress.jobID)
            return response
        } catch {
            await progress.fail((error as? ServiceError)?.message ?? "internal error")
            throw error
        }
    }
}
