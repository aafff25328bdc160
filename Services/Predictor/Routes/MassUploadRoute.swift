import Contracts
import HTTPCore
import ServiceKit

/// `POST /mass_upload`: `{"workspace", "files": {path: contents}}`. Every path is checked
/// first (one bad path stores nothing), the files go to the blob store, and the user's model
/// is rebuilt from the Python files among them.
struct MassUploadRoute: Sendable {
    /// The engine whose user models learn from the uploads.
    let engine: PredictorEngine
    /// Body, file and count limits.
    let options: PredictorOptions
    /// Where the files are kept.
    let blobs: any BlobStore
    /// One line per upload.
    let logger: Logger
    /// Files stored.
    let metrics: Metrics

    /// Answers one request.
    func handle(_ request: Request) async throws -> HTTPResponse {
        let identity = try request.require()
        if let contentType = request.headers["Content-Type"], !contentType.lowercased().hasPrefix("application/json") {
            throw ServiceError(415, "mass_upload takes application/json")
        }
        let body = try await request.decodeJSON(PredictorAPI.MassUploadRequest.self, limit: options.maxUploadBodyBytes)
        guard body.files.count <= options.maxUploadFiles else {
            throw ServiceError.tooLarge("\(body.files.count) files; at most \(options.maxUploadFiles) per upload")
        }
        do {
            try UploadPaths.validateWorkspace(body.workspace)
            for path in body.files.keys.sorted() { try UploadPaths.validate(path) }
            try UploadPaths.checkNoFileDirectoryClash(body.files.keys)
        } catch {
            throw ServiceError.badRequest(error.description + "; nothing was stored")
        }
        var files: [String: [UInt8]] = [:]
        for (path, contents) in body.files {
            let bytes = Array(contents.utf8)
            if bytes.count > options.maxFileBytes {
                throw ServiceError.tooLarge("'\(path.prefix(200))' is \(bytes.count) bytes; the limit is \(options.maxFileBytes); nothing was stored")
            }
            files[path] = bytes
        }
        do {
            try await blobs.put(user: identity.userID, workspace: body.workspace, files: files)
        } catch {
            logger.error("blob store write failed", requestID: request.requestID,
                         [("user", identity.userID), ("error", String(describing: error))])
            throw ServiceError(.conflict, "could not store the files (a path may clash with an existing file or directory)")
        }
        var python: [String: String] = [:]
        for (path, contents) in body.files where path.hasSuffix(".py") { python[body.workspace + "/" + path] = contents }
        if !python.isEmpty { await engine.upload(user: identity.userID, files: python) }
        metrics.increment("uploaded_files_total", help: "Files stored by /mass_upload", by: Double(body.files.count))
        logger.info("mass upload", requestID: request.requestID, [("user", identity.userID), ("workspace", body.workspace),
                                                                    ("files", body.files.count), ("python_files", python.count)])
        return .text(PredictorAPI.uploadedText)
    }
}
