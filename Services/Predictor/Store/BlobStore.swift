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
