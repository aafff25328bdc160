import Contracts
import Foundation
import ServiceKit
import Storage

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
///
/// Replicas (PostgreSQL index, `TASKS_DIR` one shared volume): every update is made from a
/// versioned read (`TaskStore.versionedRow`) and stored only if the version is unchanged,
/// under the row's lock, with the directory swap in the same transaction; an update that
/// lost the race re-reads the files and applies its change again (`updateAttempts`), so two
/// replicas changing one task never lose either change. `locks` orders one process's
/// writers; the version orders replicas'.
public struct TaskRepository: Sendable {
    /// The index.
    public let store: TaskStore
    /// The files.
    let directory: TaskDirectory
    /// Limits on `files`.
    let limits: TaskLimits
    /// One writer per task.
    let locks = TaskLocks()

    /// Tries of an update that lost a race with another replica's (first included).
    static let updateAttempts = 8

    /// A repository over `store` and the tasks root `root`; `sharedRoot` when other
    /// replicas write the same root (each then stages in a folder of its own).
    public init(store: TaskStore, root: URL, limits: TaskLimits, sharedRoot: Bool = false) {
        self.store = store
        directory = TaskDirectory(root: root, shared: sharedRoot)
        self.limits = limits
    }

    /// The tasks root.
    public var root: URL { directory.root }

    /// Where this process stages versions before they move into place.
    public var stagingDirectory: URL { directory.staging }

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
            do {
                try await store.insert(TaskRow(id: name, name: name, description: description, status: .draft,
                                               createdAt: modified ?? now, updatedAt: modified ?? now))
                adopted += 1
            } catch where StorageError.isUniqueViolation(error) {
                continue  // another replica's task, its row committed after this one listed the ids
            }
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
            for _ in 0..<Self.updateAttempts {
                if let row = try await updateOnce(id: id, with: change, now: now) { return row }
            }
            throw ServiceError.conflict("task \(id) kept changing while it was being updated; try again")
        }
    }

    /// One try of `update`: nil when another replica updated the task after it was read.
    private func updateOnce(id: String, with change: TaskManagerAPI.UpdateTaskRequest, now: Date) async throws -> TaskRow? {
        guard TaskID.isValid(id), let read = try await store.versionedRow(id: id) else {
            throw ServiceError.notFound("Task not found: \(id)")
        }
        var row = read.row
        let version = read.version
        if let name = change.name { row.name = try Self.checkedName(name) }
        if let description = change.description { row.description = description }
        if let status = change.status { row.status = status }
        row.updatedAt = now
        let outcome: TaskUpdateOutcome
        if let fileChanges = change.files, !fileChanges.isEmpty {
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
                outcome = try await store.update(row, expecting: version) { [directory, row] in try directory.exchange(staged, with: id) }
                directory.discard(staged)  // now the old version (or, unchanged, the unused new one)
            } catch {
                directory.discard(staged)
                throw error
            }
        } else {
            outcome = try await store.update(row, expecting: version)
        }
        switch outcome {
        case .updated: return row
        case .changed: return nil
        case .missing: throw ServiceError.notFound("Task not found: \(id)")
        }
    }

    /// Deletes a task; 404 when unknown.
    public func delete(id: String) async throws {
        try await locks.withLock(id) {
            _ = try await existingRow(id)
            guard let detached = try await store.delete(id: id, committing: { [directory] in try directory.detach(id) }) else {
                throw ServiceError.notFound("Task not found: \(id)")
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
