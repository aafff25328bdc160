import Contracts
import HTTPCore
import ServiceKit

/// The fields of a `/predict` body, from a URL-encoded form, a multipart form or a JSON object.
struct PredictFields {
    /// The file with its `<cursor>` marker, as sent (not yet checked for UTF-8 or size).
    var currentFile: [UInt8]?
    /// How many predictions, as sent.
    var n: String?
    /// The model's name, as sent.
    var model: String?
    /// The file's language, as sent.
    var language: String?

    /// The small fields' cap in a multipart body (`n`, `model`, `language`).
    static let smallFieldBytes = 4 * 1024

    /// Reads the fields from the body. A multipart body is read part by part as it streams:
    /// `current_file` up to `maxFileBytes`, the other known fields up to `smallFieldBytes`,
    /// unknown parts skipped unread. 415 for any other media type.
    static func parse(_ request: Request, bodyLimit: Int, maxFileBytes: Int) async throws -> PredictFields {
        let contentType = request.headers["Content-Type"] ?? ""
        let mediaType = HeaderParameters(parsing: contentType)?.value ?? contentType.lowercased()
        switch mediaType {
        case "application/json":
            let json = try await request.decodeJSON(PredictorAPI.PredictRequest.self, limit: bodyLimit)
            return PredictFields(currentFile: json.currentFile.map { Array($0.utf8) }, n: json.n, model: json.model,
                                 language: json.language)
        case "multipart/form-data":
            var form = try request.multipart(limits: MultipartLimits(maxParts: 64, maxPartBytes: maxFileBytes, maxTotalBytes: bodyLimit))
            var found = PredictFields()
            while let part = try await form.nextPart() {
                switch part.name {
                case "current_file": found.currentFile = try await form.collectBody(upTo: maxFileBytes)
                case "n": found.n = try text(await form.collectBody(upTo: smallFieldBytes), field: "n")
                case "model": found.model = try text(await form.collectBody(upTo: smallFieldBytes), field: "model")
                case "language": found.language = try text(await form.collectBody(upTo: smallFieldBytes), field: "language")
                default: continue
                }
            }
            return found
        case "application/x-www-form-urlencoded", "text/plain", "":  // text/plain or none: clients that post a bare form string
            let body = try await request.body(limit: bodyLimit)
            var found = PredictFields()
            for field in FormCoding.fields(body) {
                switch String(decoding: field.name, as: UTF8.self) {
                case "current_file": found.currentFile = field.value
                case "n": found.n = try text(field.value, field: "n")
                case "model": found.model = try text(field.value, field: "model")
                case "language": found.language = try text(field.value, field: "language")
                default: continue
                }
            }
            return found
        default:
            throw ServiceError(415, "unsupported Content-Type '\(mediaType.prefix(100))'; "
                               + "use application/x-www-form-urlencoded, multipart/form-data or application/json")
        }
    }

    /// `bytes` as a string; 400 naming `field` when they are not UTF-8.
    static func text(_ bytes: [UInt8], field: String) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw ServiceError.badRequest("'\(field)' is not valid UTF-8") }
        return text
    }
}
