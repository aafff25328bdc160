import Contracts

/// What `GET /api/tasks` asks for, validated: an optional status and search text, a page.
public struct TaskListQuery: Sendable, Equatable {
    /// Only tasks with this status.
    public var status: TaskManagerAPI.TaskStatus?
    /// Only tasks whose name or description contains this (case-insensitive); nil or empty: all.
    public var search: String?
    /// 1-based page.
    public var page: Int
    /// Tasks per page (1–100).
    public var limit: Int

    /// A query.
    public init(status: TaskManagerAPI.TaskStatus? = nil, search: String? = nil, page: Int = 1, limit: Int = 20) {
        self.status = status
        self.search = search
        self.page = page
        self.limit = limit
    }

    /// Rows skipped before the page.
    var offset: Int { (page - 1) * limit }
}
