import Crypto
import Foundation

/// Where uploaded workspace files are kept ("the bucket"). Keys are
/// `<user>/<workspace>/<path>`, already validated. A directory tree is the default; an
/// S3-compatible store can implement the same protocol.
public protocol BlobStore: Sendable {
    /// Stores `files` (`path -> bytes`) under `user`/`workspace`, replacing older versions.
    /// Either all files are stored or (as far as the backend allows) none.
    func put(user: String, workspace: String, files: [String: [UInt8]]) async throws
    /// A stored file's bytes, or nil.
    func get(user: String, workspace: String, path: String) async throws -> [UInt8]?
}

/// Why an upload path or workspace name is refused.
public struct UploadPathError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "invalid path \(Self.quoted(path)): \(reason)" }

    static func quoted(_ p: String) -> String {
        var s = ""
        for u in p.unicodeScalars.prefix(120) {
            if u.value < 0x20 || u.value == 0x7f { s += "\\u{\(String(u.value, radix: 16))}" } else { s.unicodeScalars.append(u) }
        }
        return "'" + s + (p.unicodeScalars.count > 120 ? "…" : "") + "'"
    }
}

/// Checks of uploaded paths: relative, `/`-separated, no `.`/`..`/empty components, no NUL or
/// control characters, no backslashes, no drive letters, bounded length.
public enum UploadPaths {
    /// Longest path accepted, in UTF-8 bytes.
    public static let maxPathBytes = 1024
    /// Longest path component, in UTF-8 bytes (common file system limit).
    public static let maxComponentBytes = 255

    /// Throws unless `path` is an acceptable relative file path.
    public static func validate(_ path: String) throws(UploadPathError) {
        func fail(_ r: String) -> UploadPathError { UploadPathError(path: path, reason: r) }
        let bytes = Array(path.utf8)
        if bytes.isEmpty { throw fail("empty") }
        if bytes.count > maxPathBytes { throw fail("longer than \(maxPathBytes) bytes") }
        if bytes.contains(0) { throw fail("contains NUL") }
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7f }) { throw fail("contains a control character") }
        if bytes.contains(UInt8(ascii: "\\")) { throw fail("contains a backslash") }
        if bytes.first == UInt8(ascii: "/") { throw fail("absolute path") }
        if bytes.first == UInt8(ascii: "~") { throw fail("home-relative path") }
        if bytes.count >= 2, bytes[1] == UInt8(ascii: ":"), (bytes[0] | 0x20) >= 0x61, (bytes[0] | 0x20) <= 0x7a {
            throw fail("drive-letter path")
        }
        for c in path.split(separator: "/", omittingEmptySubsequences: false) {
            if c.isEmpty { throw fail("empty path component") }
            if c == "." || c == ".." { throw fail("'\(c)' path component") }
            if c.utf8.count > maxComponentBytes { throw fail("path component longer than \(maxComponentBytes) bytes") }
        }
    }

    /// Throws unless `name` is an acceptable workspace name (one path component).
    public static func validateWorkspace(_ name: String) throws(UploadPathError) {
        try validate(name)
        if name.contains("/") { throw UploadPathError(path: name, reason: "workspace name contains '/'") }
    }

    /// Throws if one path is a directory prefix of another (`a` and `a/b`): both cannot be files.
    public static func checkNoFileDirectoryClash(_ paths: some Collection<String>) throws(UploadPathError) {
        let set = Set(paths)
        for p in paths {
            var comps = p.split(separator: "/")
            comps.removeLast()
            var prefix = ""
            for c in comps {
                prefix = prefix.isEmpty ? String(c) : prefix + "/" + c
                if set.contains(prefix) { throw UploadPathError(path: prefix, reason: "is both a file and a directory of '\(p)'") }
            }
        }
    }

    /// A file-system-safe directory name for a user id (kept when plain, hex-encoded otherwise).
    public static func userComponent(_ user: String) -> String {
        let ok = !user.isEmpty && user.utf8.count <= 128 && user.first != "." &&
            user.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7a) || $0 == 0x2d || $0 == 0x5f || $0 == 0x2e }
        return ok ? user : "x" + Hex.encode(user.utf8)
    }
}

/// The default blob store: files under `root/<user>/<workspace>/<path>`. Every file is first
/// written to a temporary file next to its destination, then all are renamed into place, so a
/// reader never sees a half-written file and a failed upload leaves older versions intact.
public struct FileBlobStore: BlobStore {
    /// The root directory (`DATA_DIR/blobs`).
    public let root: URL

    public init(root: URL) { self.root = root }

    /// The file a key maps to (inputs must be validated).
    public func url(user: String, workspace: String, path: String) -> URL {
        root.appendingPathComponent(UploadPaths.userComponent(user), isDirectory: true)
            .appendingPathComponent(workspace, isDirectory: true)
            .appendingPathComponent(path, isDirectory: false)
    }

    public func put(user: String, workspace: String, files: [String: [UInt8]]) async throws {
        try UploadPaths.validateWorkspace(workspace)
        for p in files.keys { try UploadPaths.validate(p) }
        let fm = FileManager.default
        var staged: [(tmp: URL, dest: URL)] = []
        do {
            for (path, bytes) in files {
                let dest = url(user: user, workspace: workspace, path: path)
                let dir = dest.deletingLastPathComponent()
                try fm.createDirectory(at: dir, withIntermediateDirectories: true)
                let tmp = dir.appendingPathComponent(".upload-\(UUID().uuidString).tmp")
                try Data(bytes).write(to: tmp)
                staged.append((tmp, dest))
            }
            for s in staged {
                if rename(s.tmp.path, s.dest.path) != 0 {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: s.dest.path])
                }
            }
        } catch {
            for s in staged { try? fm.removeItem(at: s.tmp) }
            throw error
        }
    }

    public func get(user: String, workspace: String, path: String) async throws -> [UInt8]? {
        try UploadPaths.validateWorkspace(workspace)
        try UploadPaths.validate(path)
        guard let d = FileManager.default.contents(atPath: url(user: user, workspace: workspace, path: path).path) else { return nil }
        return Array(d)
    }
}
