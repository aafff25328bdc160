import Contracts
import HTTPCore
import ServiceKit

extension TaskManagerRoutes {
    /// `GET /api/tasks?status=&search=&page=&limit=` → `{"tasks": [...], "total": n}`, newest first.
    func list(_ request: Request) async throws -> HTTPResponse {
        let query = try Self.listQuery(request)
        let (rows, total) = try await repository.list(query)
        return .json(TaskManagerAPI.TaskList(tasks: rows.map(summary), total: total))
    }

    /// The list's query parameters, checked: 400 for an unknown status, a page below 1 or a
    /// limit outside 1–100 (an empty value is the default).
    static func listQuery(_ request: Request) throws -> TaskListQuery {
        var query = TaskListQuery()
        if let status = request.query("status")?.trimmedOfSpaces, !status.isEmpty {
            guard let value = TaskManagerAPI.TaskStatus(rawValue: status.lowercased()) else {
                let known = TaskManagerAPI.TaskStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw ServiceError.badRequest("status must be one of \(known)")
            }
            query.status = value
        }
        query.search = request.query("search")
        if query.search?.utf8.contains(0) == true { throw ServiceError.badRequest("search must not contain NUL") }
        if let page = request.query("page")?.trimmedOfSpaces, !page.isEmpty {
            guard let value = Int(page), value >= 1, value <= 10_000_000 else { throw ServiceError.badRequest("page must be an integer from 1") }
            query.page = value
        }
        if let limit = request.query("limit")?.trimmedOfSpaces, !limit.isEmpty {
            guard let value = Int(limit), (1...100).contains(value) else { throw ServiceError.badRequest("limit must be an integer from 1 to 100") }
            query.limit = value
        }
        return query
    }

    /// `POST /api/tasks` → the new task (status draft).
    func create(_ request: Request) async throws -> HTTPResponse {
        let body = try await RequestDecoding.decode(TaskManagerAPI.CreateTaskRequest.self, from: request)
        let stored = try await repository.create(name: body.name, description: body.description ?? "", files: body.files ?? [:])
        return .json(summary(stored.row))
    }

    /// `GET /api/tasks/{task_id}` → the task with every file.
    func show(_ request: Request) async throws -> HTTPResponse {
        let (row, files) = try await repository.detail(id: try request.parameter("task_id"))
        return .json(TaskManagerAPI.TaskDetail(summary: summary(row), files: files))
    }

    /// `PUT /api/tasks/{task_id}`: a partial update → the task.
    func update(_ request: Request) async throws -> HTTPResponse {
        let id = try request.parameter("task_id")
        _ = try await repository.existingRow(id)  // 404 before a body error
        let body = try await RequestDecoding.decode(TaskManagerAPI.UpdateTaskRequest.self, from: request)
        return .json(summary(try await repository.update(id: id, with: body)))
    }

    /// `DELETE /api/tasks/{task_id}` → `{"message": "Task deleted successfully"}`.
    func delete(_ request: Request) async throws -> HTTPResponse {
        try await repository.delete(id: try request.parameter("task_id"))
        return .json(TaskManagerAPI.DeleteTaskResponse(message: "Task deleted successfully"))
    }
}
