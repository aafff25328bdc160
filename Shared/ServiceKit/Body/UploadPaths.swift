import Crypto

/// Checks of uploaded paths: relative, `/`-separated, no `.`/`..`/empty components, no NUL or
/// control characters, no backslashes, no drive letters, bounded length; and of an upload's
/// shape (depth, distinct directories).
public enum UploadPaths {
    /// Longest path accepted, in UTF-8 bytes.
    public static let maxPathBytes = 1024
    /// Longest path component, in UTF-8 bytes (common file system limit).
    public static let maxComponentBytes = 255

    /// Throws unless `path` is an acceptable relative file path.
    public static func validate(_ path: String) throws(UploadPathError) {
        func fail(_ reason: String) -> UploadPathError { UploadPathError(path: path, reason: reason) }
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
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty { throw fail("empty path component") }
            if component == "." || component == ".." { throw fail("'\(component)' path component") }
            if component.utf8.count > maxComponentBytes { throw fail("path component longer than \(maxComponentBytes) bytes") }
        }
    }

    /// Directories above the file in `path` (`a/b/c.py` is 2 deep).
    public static func depth(_ path: String) -> Int {
        path.utf8.reduce(0) { $1 == UInt8(ascii: "/") ? $0 + 1 : $0 }
    }

    /// Throws unless every path is at most `maxDepth` directories deep (`MAX_PATH_DEPTH`).
    public static func checkDepth(_ paths: some Collection<String>, maxDepth: Int) throws(UploadPathError) {
        for path in paths where depth(path) > maxDepth {
            throw UploadPathError(path: path, reason: "more than \(maxDepth) directories deep (MAX_PATH_DEPTH)")
        }
    }

    /// The distinct directories the paths name (`a/b/c.py` and `a/d.py` name `a` and `a/b`),
    /// counting stops just past `limit`.
    public static func directoryCount(_ paths: some Collection<String>, limit: Int = .max) -> Int {
        var directories = Set<Substring>()
        for path in paths {
            var end = path.startIndex
            while let slash = path[end...].firstIndex(of: "/") {
                directories.insert(path[path.startIndex..<slash])
                if directories.count > limit { return directories.count }
                end = path.index(after: slash)
            }
        }
        return directories.count
    }

    /// Throws unless `name` is an acceptable workspace name (one path component).
    public static func validateWorkspace(_ name: String) throws(UploadPathError) {
        try validate(name)
        if name.contains("/") { throw UploadPathError(path: name, reason: "workspace name contains '/'") }
    }

    /// Throws if one path is a directory prefix of another (`a` and `a/b`): both cannot be files.
    public static func checkNoFileDirectoryClash(_ paths: some Collection<String>) throws(UploadPathError) {
        let set = Set(paths)
        for path in paths {
            var directories = path.split(separator: "/")
            directories.removeLast()
            var prefix = ""
            for directory in directories {
                prefix = prefix.isEmpty ? String(directory) : prefix + "/" + directory
                if set.contains(prefix) { throw UploadPathError(path: prefix, reason: "is both a file and a directory of '\(path)'") }
            }
        }
    }

    /// A file-system-safe directory name for a user id (kept when plain, hex-encoded otherwise).
    public static func userComponent(_ user: String) -> String {
        let plain = !user.isEmpty && user.utf8.count <= 128 && user.first != "." && user.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7a) || byte == 0x2d || byte == 0x5f || byte == 0x2e
        }
        return plain ? user : "x" + Hex.encode(user.utf8)
    }
}
