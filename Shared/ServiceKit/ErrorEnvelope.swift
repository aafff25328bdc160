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

    /// The response for an error. Keys are written in the order each API documents
    /// (e.g. `code` before `description`), not left to the encoder.
    public func render(_ e: ServiceError) -> HTTPResponse {
        var s = "{"
        switch self {
        case .codeDescription:
            s += "\"code\":\(e.status.code),\"description\":"
            LogSink.appendJSONString(e.message, to: &s)
        case .detail:
            s += "\"detail\":"
            LogSink.appendJSONString(e.message, to: &s)
        case .coder:
            s += "\"message\":"
            LogSink.appendJSONString(e.message, to: &s)
            if let d = e.detail {
                s += ",\"detail\":"
                LogSink.appendJSONString(d, to: &s)
            }
            if !e.validations.isEmpty {
                s += ",\"validations\":["
                for (i, v) in e.validations.enumerated() {
                    if i > 0 { s += "," }
                    s += "{\"field\":"
                    LogSink.appendJSONString(v.field, to: &s)
                    s += ",\"detail\":"
                    LogSink.appendJSONString(v.detail, to: &s)
                    s += "}"
                }
                s += "]"
            }
        case .morpheo:
            s += "\"Error\":"
            LogSink.appendJSONString(e.message, to: &s)
        }
        s += "}"
        var r = HTTPResponse(status: e.status, contentType: "application/json", body: Array(s.utf8))
        for (n, v) in e.headers { r.headers.add(n, v) }
        return r
    }
}
