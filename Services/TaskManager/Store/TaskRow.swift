import Contracts
import Foundation
import Storage

/// A task's index row: what lists show, without the files.
public struct TaskRow: Sendable, Equatable {
    /// The id (also the directory's name).
    public var id: String
    /// The name.
    public var name: String
    /// The description.
    public var description: String
    /// The status.
    public var status: TaskManagerAPI.TaskStatus
    /// When it was created.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date

    /// A row.
    public init(id: String, name: String, description: String, status: TaskManagerAPI.TaskStatus, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.description = description
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Reads `Queries.columns`.
    init(row: Row) throws {
        id = try row.get(0)
        name = try row.get(1)
        description = try row.get(2)
        let raw: String = try row.get(3)
        status = TaskManagerAPI.TaskStatus(rawValue: raw) ?? .draft
        createdAt = Date(timeIntervalSince1970: try row.get(4))
        updatedAt = Date(timeIntervalSince1970: try row.get(5))
    }

    /// The lowercased text a search looks in.
    var searchText: String { (name + "\n" + description).lowercased() }
}
