import CLinux
import Crypto
import Foundation
import ServiceKit
#if canImport(Glibc)
import Glibc
#endif

/// The tasks root on disk: one directory per task (`<root>/<id>`, Harbor's layout) and a
/// staging area (`<root>/.staging`). A new version of a task is written whole into the
/// staging area, then moved into place with one `rename(2)` (a new task) or swapped with
/// the old one by `renameat2(RENAME_EXCHANGE)` (an update), so a crash at any moment
/// leaves either the old or the new version, never half of one.
///
/// Shared by replicas (`shared`: the root is one volume several processes write, as with
/// `DATABASE_URL=postgres://…`), each process stages in a folder of its own
/// (`.staging/<random>`), and a start removes only other folders untouched for
/// `staleStaging` (a crashed replica's leftovers), never a live replica's work.
struct TaskDirectory: Sendable {
    /// The tasks root.
    let root: URL
    /// Where versions are written before they move into place: `<root>/.staging` (emptied
    /// at start), or this process's folder in it when the root is shared.
    let staging: URL
    /// Whether other processes write the root too.
    let shared: Bool
    /// How long a staging folder of another process must be untouched to be removed.
    static let staleStaging: TimeInterval = 3_600

    /// The root's directory; `shared` when replicas write it too.
    init(root: URL, shared: Bool = false) {
        self.root = root
        self.shared = shared
        let area = root.appendingPathComponent(".staging", isDirectory: true)
        staging = shared ? area.appendingPathComponent(Hex.encode(SecureRandom.bytes(8)), isDirectory: true) : area
    }

    /// A failed file-system step.
    struct Failure: Error, CustomStringConvertible {
        /// What failed, with `strerror`.
        var description: String
    }

    /// Creates the root and an empty staging area (shared: this process's folder, and
    /// other processes' folders untouched for `staleStaging` removed).
    func prepare(now: Date = Date()) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if shared {
            let area = staging.deletingLastPathComponent()
            try manager.createDirectory(at: area, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            for name in try manager.contentsOfDirectory(atPath: area.path) {
                let folder = area.appendingPathComponent(name)
                let modified = (try? manager.attributesOfItem(atPath: folder.path)[.modificationDate]) as? Date
                if let modified, now.timeIntervalSince(modified) > Self.staleStaging { try? manager.removeItem(at: folder) }
            }
        } else if manager.fileExists(atPath: staging.path) {
            try manager.removeItem(at: staging)
        }
        try manager.createDirectory(at: staging, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// The directory of task `id`.
    func directory(of id: String) -> URL { root.appendingPathComponent(id, isDirectory: true) }

    /// Whether task `id` has a directory.
    func exists(_ id: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: directory(of: id).path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The task directories' names (hidden entries excluded).
    func taskNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.path).filter { !$0.hasPrefix(".") && exists($0) }
    }

    /// Writes `files` into a new staging directory for task `id` and returns it.
    func stage(_ files: [String: String], for id: String) throws -> URL {
        let folder = staging.appendingPathComponent("\(id).\(Hex.encode(SecureRandom.bytes(6)))", isDirectory: true)
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: folder, withIntermediateDirectories: false)
            for (path, contents) in files {
                let file = folder.appendingPathComponent(path)
                try manager.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                guard manager.createFile(atPath: file.path, contents: Data(contents.utf8)) else {
                    throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
                }
            }
        } catch {
            try? manager.removeItem(at: folder)
            throw error
        }
        return folder
    }

    /// Moves a staged version into place as task `id`; 409 when a directory of that name exists.
    func install(_ staged: URL, as id: String) throws {
        let target = directory(of: id)
        if exists(id) { throw ServiceError.conflict("a task directory named \(id) already exists") }
        guard rename(staged.path, target.path) == 0 else {
            throw Failure(description: "cannot move task \(id) into place: \(String(cString: strerror(errno)))")
        }
    }

    /// Swaps a staged version with task `id`'s current directory in one step; the staged
    /// URL then holds the old version.
    func exchange(_ staged: URL, with id: String) throws {
        guard clinux_rename_exchange(staged.path, directory(of: id).path) == 0 else {
            throw Failure(description: "cannot swap task \(id) into place: \(String(cString: strerror(errno)))")
        }
    }

    /// Moves task `id`'s directory into the staging area (one step) and returns where it is
    /// now; nil when it had none.
    func detach(_ id: String) throws -> URL? {
        let target = staging.appendingPathComponent("\(id).deleted.\(Hex.encode(SecureRandom.bytes(6)))", isDirectory: true)
        if rename(directory(of: id).path, target.path) == 0 { return target }
        if errno == ENOENT { return nil }
        throw Failure(description: "cannot remove task \(id): \(String(cString: strerror(errno)))")
    }

    /// Removes a staged or detached directory (best effort: the staging area is emptied at start anyway).
    func discard(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    /// Task `id`'s regular files (symbolic links and anything else skipped), by relative path, sorted.
    func fileURLs(of id: String) throws -> [(path: String, url: URL)] {
        let base = directory(of: id)
        let basePath = base.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey],
                                                          options: []) else { return [] }
        var files: [(path: String, url: URL)] = []
        for case let url as URL in walker {
            let values = try url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
            guard values.isRegularFile == true, values.isSymbolicLink != true else { continue }
            let full = url.standardizedFileURL.path
            guard full.hasPrefix(basePath + "/") else { continue }
            files.append((String(full.dropFirst(basePath.count + 1)), url))
        }
        return files.sorted { $0.path < $1.path }
    }

    /// Task `id`'s files with their text (bytes that are not UTF-8 are replaced).
    func files(of id: String) throws -> [String: String] {
        var files: [String: String] = [:]
        for (path, url) in try fileURLs(of: id) {
            files[path] = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        }
        return files
    }
}
