import Contracts
import Foundation
import ServiceKit

/// Stored tasks: the index (`TaskStore`) and the files (`TaskDirectory`) kept in step.
///
/// - create: files staged, then the row inserted and the directory moved into place in one
///   transaction (no row without its files);
/// - update: under the task's lock, the new version staged whole, then the row updated
///   and the directories swapped in one transaction;
/// - delete: the row deleted and the directory moved aside in one transaction, then removed.
///
/// A directory without a row (a crash between the move and the commit, or a task copied
/// into `TASKS_DIR` by hand) is indexed at start (`adoptOrphans`), so no stored task is lost.
public struct TaskRepository: Sendable {
    /// The index.
    public let store: TaskStore
    /// The files.
    let directory: TaskDirectory
    /// Limits on `files`.
    let limits: TaskLimits
    /// One writer per task.
    let locks = TaskLocks()

    /// A repository over `store` and the tasks root `root`.
    public init(store: TaskStore, root: URL, limits: TaskLimits) {
        self.store = store
        directory = TaskDirectory(root: root)
        self.limits = limits
    }

    /// The tasks root.
    public var root: URL { directory.root }

    /// Prepares the root (an empty staging area) and indexes directories that have no row.
    /// Returns how many were adopted.
    @discardableResult
    public func open(now: Date = Date()) async throws -> Int {
        try directory.prepare()
        let known = try await store.allIDs()
        var adopted = 0
        for name in try directory.taskNames() where !known.contains(name) && TaskID.isValid(name) {
            let files = (try? directory.files(of: name)) ?? [:]
            let description = files[TaskManagerAPI.FileKey.taskConfig].flatMap(TaskConfigSummary.description(in:)) ?? ""
            let modified = (try? FileManager.default.attributesOfItem(atPath: directory.directory(of: name).path)[.modificationDate]) as? Date
            try await store.insert(TaskRow(id: name, name: name, description: description, status: .draft,
                                           createdAt: modified ?? now, updatedAt: modified ?? now))
            adopted += 1
        }
        return adopted
    }

    /// Stores a new task (Harbor's defaults for missing files) and returns its row and files.
    /// `id` is made from the name unless given (the GitHub generator names its files after it).
    public func create(name: String, description: String, files: [String: String], status: TaskManagerAPI.TaskStatus = .draft,
                       id given: String? = nil, now: Date = Date()) async throws -> (row: TaskRow, files: [String: String]) {
        let name = try Self.checkedName(name)
        try TaskFileRules.check(written: files, limits: limits)
        let id = given ?? TaskID.make(name: name)
        let files = TaskLayout.completed(files, id: id, name: name, description: description)
        let staged = try directory.stage(files, for: id)
        let row = TaskRow(id: id, name: name, description: description, status: status, createdAt: now, updatedAt: now)
        do {
            try await store.insert(row) { [directory] in try directory.install(staged, as: id) }
        } catch {
            directory.discard(staged)
            throw error
        }
        return (row, files)
    }

    /// A task's row and files; 404 when unknown.
    public func detail(id: String) async throws -> (row: TaskRow, files: [String: String]) {
        let row = try await existingRow(id)
        return (row, try directory.files(of: id))
    }

    /// A task's row; 404 when unknown (or not a valid id).
    public func existingRow(_ id: String) async throws -> TaskRow {
        guard TaskID.isValid(id), let row = try await store.row(id: id) else { throw ServiceError.notFound("Task not found: \(id)") }
        return row
    }

    /// Applies a partial update: new name, description or status; files written or (null) deleted.
    /// A required Harbor file that is deleted gets its default back.
    public func update(id: String, with change: TaskManagerAPI.UpdateTaskRequest, now: Date = Date()) async throws -> TaskRow {
        try await locks.withLock(id) {
            var row = try await existingRow(id)
            if let name = change.name { row.name = try Self.checkedName(name) }
            if let description = change.description { row.description = description }
            if let status = change.status { row.status = status }
            row.updatedAt = now
            guard let fileChanges = change.files, !fileChanges.isEmpty else {
                guard try await store.update(row) else { throw ServiceError.notFound("Task not found: \(id)") }
                return row
            }
            let written = fileChanges.compactMapValues { $0 }
            let deleted = fileChanges.filter { $0.value == nil }.map(\.key)
            try TaskFileRules.check(written: written, deleted: deleted, limits: limits)
            var files = try directory.files(of: id)
            for path in deleted { files[path] = nil }
            for (path, contents) in written { files[path] = contents }
            files = TaskLayout.completed(files, id: id, name: row.name, description: row.description)
            try TaskFileRules.check(written: files, limits: limits)
            let staged = try directory.stage(files, for: id)
            do {
                let updated = try await store.update(row) { [directory] in try directory.exchange(staged, with: id) }
                directory.discard(staged)  // now the old version
                guard updated else { throw ServiceError.notFound("Task not found: \(id)") }
            } catch {
                directory.discard(staged)
                throw error
            }
            return row
        }
    }

    /// Deletes a task; 404 when unknown.
    public func delete(id: String) async throws {
        try await locks.withLock(id) {
            _ = try await existingRow(id)
            let detached = try await store.db.write { [directory] connection -> URL? in
                guard try connection.run(Queries.delete, id) > 0 else { throw ServiceError.notFound("Task not found: \(id)") }
                return try directory.detach(id)
            }
            if let detached { directory.discard(detached) }
        }
    }

    /// One page of tasks and the total.
    public func list(_ query: TaskListQuery) async throws -> (rows: [TaskRow], total: Int) {
        try await store.list(query)
    }

    /// The name, trimmed; 400 when empty or longer than 500 characters.
    static func checkedName(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { throw ServiceError.badRequest("name must not be empty") }
        if trimmed.count > 500 { throw ServiceError.badRequest("name is longer than 500 characters") }
        return trimmed
    }

    /// The directory of task `id`.
    public func path(of id: String) -> String { directory.directory(of: id).path }
}
