import Contracts
import Foundation
import HTTPCore
import ServiceKit

/// The HTTP surface, every route registered here; each group's handlers are in a file of
/// their own (TaskRoutes, ValidationRoutes, ExportRoutes, GitHubRoutes, SFTRoutes,
/// ProgressRoutes, DocsRoutes). Handlers decode bodies into `TaskManagerAPI` types, call
/// the domain (which knows nothing of HTTP) and answer contract values.
struct TaskManagerRoutes: Sendable {
    /// Stored tasks.
    let repository: TaskRepository
    /// GitHub → task.
    let github: GitHubTaskGenerator
    /// SFT data.
    let sft: SFTGenerator
    /// Progress to `/ws`.
    let hub: ProgressHub

    /// The documentation paths, open without the internal token (also through the gateway).
    static let docsPaths = ["/docs", "/redoc", "/openapi.json", "/api/docs", "/api/redoc", "/api/openapi.json"]

    /// Registers every route.
    func register(on router: Router) {
        router.get("/api/tasks") { try await self.list($0) }
        router.post("/api/tasks") { try await self.create($0) }
        router.post("/api/tasks/validate") { try await self.validate($0) }
        router.get("/api/tasks/{task_id}") { try await self.show($0) }
        router.put("/api/tasks/{task_id}") { try await self.update($0) }
        router.delete("/api/tasks/{task_id}") { try await self.delete($0) }
        router.get("/api/tasks/{task_id}/export") { try await self.export($0) }
        router.post("/api/github/generate-task") { try await self.generateTask($0) }
        router.post("/api/sft/generate") { try await self.generateSFT($0) }
        router.webSocket("/ws") { request, socket in await self.progress(request, socket) }
        registerDocs(on: router)
    }

    /// The caller's user id (the progress hub's owner of a job).
    static func owner(_ request: Request) -> String { request.identity?.userID ?? "" }

    /// A task's summary as the API shows it.
    func summary(_ row: TaskRow) -> TaskManagerAPI.TaskSummary {
        TaskManagerAPI.TaskSummary(id: row.id, name: row.name, description: row.description, status: row.status,
                                   path: repository.path(of: row.id), createdAt: Self.timestamp(row.createdAt))
    }

    /// ISO 8601 in UTC with milliseconds (`2026-03-14T09:26:53.589Z`).
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
