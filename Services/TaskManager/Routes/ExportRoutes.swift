import HTTPCore
import ServiceKit

extension TaskManagerRoutes {
    /// `GET /api/tasks/{task_id}/export` → `application/zip`, streamed, files at the archive's root.
    func export(_ request: Request) async throws -> HTTPResponse {
        let id = try request.parameter("task_id")
        _ = try await repository.existingRow(id)
        let files = try repository.directory.fileURLs(of: id)
        var response = HTTPResponse(status: .ok, headers: ["Content-Type": "application/zip",
                                                            "Content-Disposition": TaskExporter.contentDisposition(id: id)])
        response.body = TaskExporter.body(files: files)
        return response
    }
}
