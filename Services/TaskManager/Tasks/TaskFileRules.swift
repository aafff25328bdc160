import ServiceKit

/// Checks of a task's `files` as clients send them: every key a relative path (ServiceKit's
/// `UploadPaths`: no absolute path, `..`, `.`, empty component, backslash, control
/// character), no key both a file and another's folder, and the count and sizes within
/// `TaskLimits`. 400 for a bad path, 413 past a limit; nothing is stored when one fails.
enum TaskFileRules {
    /// Checks the written files of a create or update (`deleted` paths only need to be paths).
    static func check(written: [String: String], deleted: [String] = [], limits: TaskLimits) throws {
        for path in written.keys.sorted() + deleted.sorted() {
            do { try UploadPaths.validate(path) } catch { throw ServiceError.badRequest("files: \(error.description)") }
        }
        do { try UploadPaths.checkNoFileDirectoryClash(Array(written.keys)) } catch {
            throw ServiceError.badRequest("files: \(error.description)")
        }
        if written.count > limits.maxFiles {
            throw ServiceError.tooLarge("files: \(written.count) files; at most \(limits.maxFiles) per task")
        }
        var total = 0
        for (path, contents) in written {
            let size = contents.utf8.count
            if size > limits.maxFileBytes {
                throw ServiceError.tooLarge("files: '\(path)' has \(size) bytes; at most \(limits.maxFileBytes) per file")
            }
            total += size
        }
        if total > limits.maxTotalBytes {
            throw ServiceError.tooLarge("files: \(total) bytes in all; at most \(limits.maxTotalBytes) per task")
        }
    }
}
