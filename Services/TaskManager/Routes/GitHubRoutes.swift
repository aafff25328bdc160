import Contracts
import HTTPCore
import ServiceKit

extension TaskManagerRoutes {
    /// `POST /api/github/generate-task` → `{"task": {...}}` (stored as a draft); progress to
    /// `/ws` under the request's `jobId`, which the answer's `X-Job-Id` repeats.
    func generateTask(_ request: Request) async throws -> HTTPResponse {
        let body = try await RequestDecoding.decode(TaskManagerAPI.GenerateTaskRequest.self, from: request)
        let progress = ProgressReporter(hub: hub, owner: Self.owner(request), jobID: try JobID.resolve(body.jobId))
        do {
            let task = try await github.generate(body, progress: progress)
            await progress.finish()
            var response = HTTPResponse.json(TaskManagerAPI.GenerateTaskResponse(task: task))
            response.headers.set("X-Job-Id", progress.jobID)
            return response
        } catch {
            await progress.fail((error as? ServiceError)?.message ?? "internal error")
            throw error
        }
    }
}
