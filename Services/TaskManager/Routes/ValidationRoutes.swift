import Contracts
import HTTPCore
import ServiceKit

extension TaskManagerRoutes {
    /// `POST /api/tasks/validate` `{taskPath}` → `{valid, errors, warnings}`. The path is
    /// resolved inside the tasks root before anything is read (400 outside, 404 no task).
    func validate(_ request: Request) async throws -> HTTPResponse {
        let body = try await RequestDecoding.decode(TaskManagerAPI.ValidateTaskRequest.self, from: request)
        let directory = try TaskPathResolver(root: repository.root).resolve(body.taskPath)
        return .json(TaskValidator.validate(directory: directory))
    }
}
