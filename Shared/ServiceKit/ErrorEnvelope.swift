import Contracts
import Foundation
import HTTPCore

/// How a service renders errors: each public API keeps its own envelope.
public enum ErrorEnvelope: Sendable {
    /// `{"code": Int, "description": String}` (seed 000).
    case codeDescription
    /// `{"detail": String}` (FastAPI-style).
    case detail
    /// `{"message", "detail", "validations"}` (coder).
    case coder
    /// `{"Error": String}` (Morpheo).
    case morpheo

    /// The response for an error: the API's envelope type from `Contracts`, written by
    /// `JSONWriter` (keys in the order each API documents, e.g. `code` before `description`).
    public func render(_ e: ServiceError) -> HTTPResponse {
        let body: [UInt8]
        switch self {
        case .codeDescription:
            body = JSON.encodeOrEmpty(CodeDescriptionError(code: e.status.code, description: e.message))
        case .detail:
            body = JSON.encodeOrEmpty(DetailError(detail: e.message))
        case .coder:
            let validations = e.validations.map { CoderError.Validation(field: $0.field, detail: $0.detail) }
            body = JSON.encodeOrEmpty(CoderError(message: e.message, detail: e.detail,
                                                 validations: validations.isEmpty ? nil : validations))
        case .morpheo:
            body = JSON.encodeOrEmpty(MorpheoError(error: e.message))
        }
        var r = HTTPResponse(status: e.status, contentType: "application/json", body: body)
        for (n, v) in e.headers { r.headers.add(n, v) }
        return r
    }
}
