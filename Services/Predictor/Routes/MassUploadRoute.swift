import Contracts
import HTTPCore
import ServiceKit

/// `POST /mass_upload`: `{"workspace", "files": {path: contents}}`. Every path and the
/// upload's shape are checked first (one bad path or limit stores nothing), the files go to
/// the blob store (within the user's quota), and the user's model is rebuilt from the Python
/// files among them and saved. Every refusal is counted in `uploads_refused_total{reason}`.
struct MassUploadRoute: Sendable {
    /// The engine whose user models learn from the uploads.
    let engine: PredictorEngine
    /// Body, file, count, depth and directory limits.
    let options: PredictorOptions
    /// Where the files are kept.
    let blobs: any BlobStore
    /// One line per upload, and every storage failure.
    let logger: Logger
    /// Files stored, uploads refused.
    let metrics: Metrics

    /// Answers one request.
    func handle(_ request: Request) async throws -> HTTPResponse {
        let identity = try request.require()
        if let contentType = request.headers["Content-Type"], !contentType.lowercased().hasPrefix("application/json") {
            throw ServiceError(415, "mass_upload takes application/json")
        }
        let body = try await request.decodeJSON(PredictorAPI.MassUploadRequest.self, limit: options.maxUploadBodyBytes)
        guard body.files.count <= options.maxUploadFiles else {
            throw refused("files", .tooLarge("\(body.files.count) files; at most \(options.maxUploadFiles) per upload (MAX_UPLOAD_FILES)"))
        }
        do {
            try UploadPaths.validateWorkspace(body.workspace)
            for path in body.files.keys.sorted() {
                try UploadPaths.validate(path)
                try TemporaryFileName.refuseReserved(path)
            }
            try UploadPaths.checkNoFileDirectoryClash(body.files.keys)
        } catch {
            throw refused("invalid_path", .badRequest(error.description + "; nothing was stored"))
        }
        do {
            try UploadPaths.checkDepth(body.files.keys.sorted(), maxDepth: options.maxPathDepth)
        } catch {
            throw refused("path_depth", .badRequest(error.description + "; nothing was stored"))
        }
        let directories = UploadPaths.directoryCount(body.files.keys, limit: options.maxUploadDirectories)
        guard directories <= options.maxUploadDirectories else {
            throw refused("directories", .tooLarge("the paths name more than \(options.maxUploadDirectories) distinct directories "
                                                   + "(MAX_UPLOAD_DIRECTORIES); nothing was stored"))
        }
        var files: [String: [UInt8]] = [:]
        for (path, contents) in body.files {
            let bytes = Array(contents.utf8)
            if bytes.count > options.maxFileBytes {
                throw refused("file_size", .tooLarge("'\(path.prefix(200))' is \(bytes.count) bytes; the limit is \(options.maxFileBytes) "
                                                     + "(MAX_FILE_BYTES); nothing was stored"))
            }
            files[path] = bytes
        }
        do {
            try await blobs.put(user: identity.userID, workspace: body.workspace, files: files)
        } catch {
            throw storeFailure(error, request: request, user: identity.userID)
        }
        var python: [String: String] = [:]
        for (path, contents) in body.files where path.hasSuffix(".py") { python[body.workspace + "/" + path] = contents }
        if !python.isEmpty {
            do {
                try await engine.upload(user: identity.userID, files: python)
            } catch {
                logger.error("personal model not saved; the previous one is kept", requestID: request.requestID,
                             [("user", identity.userID), ("error", error.description)])
                let why = error.isOutOfSpace ? "no space left on the server" : "a write error on the server"
                throw refused("model_not_saved", ServiceError(error.isOutOfSpace ? .insufficientStorage : .internalServerError,
                                                             "the files were stored but your personal model could not be saved (\(why)); "
                                                             + "the previous model is kept; retry the upload later"))
            }
        }
        metrics.increment("uploaded_files_total", help: "Files stored by /mass_upload", by: Double(body.files.count))
        logger.info("mass upload", requestID: request.requestID, [("user", identity.userID), ("workspace", body.workspace),
                                                                    ("files", body.files.count), ("python_files", python.count)])
        return .text(PredictorAPI.uploadedText)
    }

    /// The answer to a failed store: 413 over a quota, 409 for a clash, 507 for a full disk,
    /// 500 for another storage error (logged).
    private func storeFailure(_ error: any Error, request: Request, user: String) -> ServiceError {
        switch error as? BlobStoreError {
        case .quotaExceeded(let kind, let limit, let wouldUse):
            return refused("quota_\(kind.rawValue)", .tooLarge("this upload would bring your stored \(kind.rawValue) to \(wouldUse), "
                                                               + "over your quota of \(limit) (\(kind.setting)); nothing was stored"))
        case .clash:
            return refused("clash", .conflict("could not store the files (a path clashes with a stored file or directory); nothing was stored"))
        case .storage(let failure) where failure.isOutOfSpace:
            logger.error("blob store full", requestID: request.requestID, [("user", user), ("error", failure.description)])
            return refused("insufficient_storage", ServiceError(.insufficientStorage,
                                                               "no space left on the server to store the files; nothing was stored; retry later"))
        default:
            logger.error("blob store write failed", requestID: request.requestID, [("user", user), ("error", String(describing: error))])
            return refused("storage_error", ServiceError(.internalServerError, "could not store the files; nothing was stored"))
        }
    }

    /// Counts a refused upload by reason and returns its error.
    private func refused(_ reason: String, _ error: ServiceError) -> ServiceError {
        metrics.increment("uploads_refused_total", help: "Uploads refused, by reason (a limit, a quota, a full disk)", labels: [("reason", reason)])
        return error
    }
}
