import Foundation
import ServiceKit

/// The default blob store: files under `root/<user>/<workspace>/<path>`. Every file is first
/// written to a temporary file next to its destination, then all are renamed into place, so a
/// reader never sees a half-written file and a failed upload leaves older versions intact.
public struct FileBlobStore: BlobStore {
    /// The root directory (`DATA_DIR/blobs`).
    public let root: URL

    /// A store under `root` (created as files arrive).
    public init(root: URL) { self.root = root }

    /// The file a key maps to (inputs must be validated).
    public func url(user: String, workspace: String, path: String) -> URL {
        root.appendingPathComponent(UploadPaths.userComponent(user), isDirectory: true)
            .appendingPathComponent(workspace, isDirectory: true)
            .appendingPathComponent(path, isDirectory: false)
    }

    /// Writes every file to a temporary file beside its destination, then renames them all
    /// into place; on any failure the temporary files are removed and the error rethrown.
    public func put(user: String, workspace: String, files: [String: [UInt8]]) async throws {
        try UploadPaths.validateWorkspace(workspace)
        for path in files.keys { try UploadPaths.validate(path) }
        let fileManager = FileManager.default
        var staged: [(temporary: URL, destination: URL)] = []
        do {
            for (path, bytes) in files {
                let destination = url(user: user, workspace: workspace, path: path)
                let directory = destination.deletingLastPathComponent()
                try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
                let temporary = directory.appendingPathComponent(".upload-\(UUID().uuidString).tmp")
                try Data(bytes).write(to: temporary)
                staged.append((temporary, destination))
            }
            for file in staged {
                guard rename(file.temporary.path, file.destination.path) == 0 else {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.destination.path])
                }
            }
        } catch {
            for file in staged { try? fileManager.removeItem(at: file.temporary) }
            throw error
        }
    }

    /// The stored file's bytes, or nil when there is none.
    public func get(user: String, workspace: String, path: String) async throws -> [UInt8]? {
        try UploadPaths.validateWorkspace(workspace)
        try UploadPaths.validate(path)
        guard let contents = FileManager.default.contents(atPath: url(user: user, workspace: workspace, path: path).path) else {
            return nil
        }
        return Array(contents)
    }
}
