import Contracts
import HTTPCore
import ServiceKit

/// `POST /upload_dataframe` (multipart `file`, `name`, `description`) replaces the
/// session's dataset; `POST /reset-session` goes back to the built-in sample. Either way
/// the session's kernel is stopped, so its next execute starts afresh with the new `df`.
struct DatasetRoutes: Sendable {
    let context: CodeRunnerContext

    /// Largest `name` or `description`.
    static let maxTextField = 4096

    /// `/upload_dataframe`.
    func upload(_ request: Request) async throws -> HTTPResponse {
        let identity = try request.require()
        let maxFile = context.options.maxUploadBytes
        var form = try request.multipart(limits: MultipartLimits(maxParts: 16, maxPartBytes: maxFile,
                                                                maxTotalBytes: maxFile + 64 * 1024))
        var file: [UInt8]?
        var fileName: String?
        var name: String?
        var description: String?
        while let part = try await form.nextPart() {
            switch part.name {
            case "file":
                fileName = part.filename
                file = try await form.collectBody(upTo: maxFile)
            case "name": name = try text(await form.collectBody(upTo: Self.maxTextField), field: "name")
            case "description": description = try text(await form.collectBody(upTo: Self.maxTextField), field: "description")
            default: continue
            }
        }
        guard let file else { throw ServiceError.badRequest("missing field 'file' (the CSV)") }
        guard !file.isEmpty else { throw ServiceError.badRequest("the file is empty; expected a CSV table") }
        let session = try await context.sessions.resolve(request, identity: identity)
        let (csv, encoding) = CSVText.decode(file)
        let check: KernelReply
        do {
            check = try await context.pool.runTool(.inspect(csv: csv), timeout: context.options.executeTimeout)
        } catch let error as KernelError {
            if case .timedOut = error { throw ServiceError.badRequest("the file could not be read as a table in time") }
            throw ServiceError(.serviceUnavailable, "no kernel is available to read the file: \(error)")
        }
        guard check.ok, let rows = check.rows, let columns = check.columns else {
            throw ServiceError.badRequest(check.error ?? "not a table")
        }
        let datasetName = (name?.isEmpty == false ? name : nil) ?? Self.stem(fileName) ?? "dataset"
        let info = StoredDataset(name: datasetName, description: description ?? "", rows: rows, columns: columns)
        try await context.store.putDataset(session: session, csv: csv, info: info)
        await context.pool.stop(session: session)
        context.logger.info("dataset uploaded", requestID: request.requestID,
                            [("rows", rows), ("columns", columns.count), ("encoding", encoding), ("bytes", file.count)])
        return .json(CodeRunnerAPI.DatasetResponse(message: "Dataframe uploaded successfully", sessionID: session, name: info.name,
                                                  description: info.description, rows: rows, columns: columns))
    }

    /// `/reset-session`.
    func reset(_ request: Request) async throws -> HTTPResponse {
        let identity = try request.require()
        var bodySession: String?
        let bytes = try await request.body(limit: 64 * 1024)
        if !bytes.isEmpty, let body = try? JSON.decode(ResetBody.self, from: bytes) { bodySession = body.sessionID }
        let session = try await context.sessions.resolve(request, identity: identity, bodySessionID: bodySession)
        try await context.store.removeDataset(session: session)
        await context.pool.stop(session: session)
        return .json(CodeRunnerAPI.DatasetResponse(message: "Session reset to the sample dataset", sessionID: session,
                                                  name: SampleDataset.name, description: SampleDataset.description,
                                                  rows: SampleDataset.rows, columns: SampleDataset.columns))
    }

    /// An optional JSON body of `/reset-session`.
    private struct ResetBody: Decodable {
        var sessionID: String?
        enum CodingKeys: String, CodingKey { case sessionID = "session_id" }
    }

    private func text(_ bytes: [UInt8], field: String) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw ServiceError.badRequest("'\(field)' is not valid UTF-8") }
        return text
    }

    /// `sales.csv` → `sales`.
    static func stem(_ fileName: String?) -> String? {
        guard let fileName, !fileName.isEmpty else { return nil }
        let base = fileName.split(separator: "/").last.map(String.init) ?? fileName
        if let dot = base.lastIndex(of: "."), dot != base.startIndex { return String(base[..<dot]) }
        return base
    }
}
