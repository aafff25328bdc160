import Foundation
import ServiceKit
#if canImport(Glibc)
import Glibc
#endif

/// Turns a `taskPath` into a task directory inside the tasks root, before anything is read:
/// a task id, or a path (absolute, or relative to the root) that stays inside the root once
/// `.`/`..` are resolved and symbolic links followed. Anything else is a 400; a path inside
/// the root where no task directory is, a 404.
struct TaskPathResolver {
    /// The tasks root.
    let root: URL

    /// The directory `taskPath` names.
    func resolve(_ taskPath: String) throws -> URL {
        let trimmed = taskPath.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { throw ServiceError.badRequest("taskPath must not be empty") }
        if trimmed.utf8.contains(0) || trimmed.utf8.contains(where: { $0 < 0x20 }) {
            throw ServiceError.badRequest("taskPath contains a control character")
        }
        let rootPath = Self.realPath(root.standardizedFileURL.path)
        let candidate = trimmed.hasPrefix("/") ? URL(fileURLWithPath: trimmed) : root.appendingPathComponent(trimmed)
        // Lexically first (no file-system access), then with symbolic links resolved.
        let lexical = candidate.standardizedFileURL.path
        let lexicalRoot = root.standardizedFileURL.path
        guard Self.isStrictlyInside(lexical, lexicalRoot) || Self.isStrictlyInside(lexical, rootPath) else { throw outside() }
        let resolved = Self.realPath(lexical)
        guard Self.isStrictlyInside(resolved, rootPath) else { throw outside() }
        let relative = resolved.dropFirst(rootPath.count + 1)
        if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
            throw ServiceError.notFound("no task at taskPath '\(taskPath)'")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ServiceError.notFound("no task at taskPath '\(taskPath)'")
        }
        return URL(fileURLWithPath: resolved, isDirectory: true)
    }

    private func outside() -> ServiceError {
        ServiceError.badRequest("taskPath must be a task id or a path inside the tasks root (\(root.path))")
    }

    /// `path` with every symbolic link resolved (`realpath(3)` of its longest existing
    /// prefix, the rest appended): what the path would open.
    static func realPath(_ path: String) -> String {
        var existing = path, rest: [String] = []
        while existing != "/" && !existing.isEmpty {
            if let resolved = realpath(existing, nil) {
                defer { free(resolved) }
                let base = String(cString: resolved)
                return rest.isEmpty ? base : (base == "/" ? "" : base) + "/" + rest.reversed().joined(separator: "/")
            }
            let url = URL(fileURLWithPath: existing)
            rest.append(url.lastPathComponent)
            existing = url.deletingLastPathComponent().path
        }
        return "/" + rest.reversed().joined(separator: "/")
    }

    /// Whether `path` is below `directory` (not `directory` itself).
    static func isStrictlyInside(_ path: String, _ directory: String) -> Bool {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return path.hasPrefix(base) && path.count > base.count
    }
}
