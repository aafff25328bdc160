import Foundation
import HTTPCore

/// JSON helpers: Foundation's coders with ISO-8601 dates and sorted keys off by default
/// (types list their keys in the order the API shows).
public enum JSON {
    /// Encodes a value; dates as ISO-8601. Compact output uses the streaming `JSONWriter`
    /// (semantically identical to Foundation's); pretty output uses Foundation's `JSONEncoder`.
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = false) throws -> [UInt8] {
        if !pretty { return try JSONWriter.encode(value) }
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        return Array(try e.encode(value))
    }

    /// Encodes, or returns `{}` if the value cannot be encoded (never for our own types).
    public static func encodeOrEmpty<T: Encodable>(_ value: T) -> [UInt8] {
        (try? encode(value)) ?? Array("{}".utf8)
    }

    /// Decodes a value; dates as ISO-8601.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return try d.decode(type, from: Data(bytes))
    }

    /// A precise, client-facing message for a decoding failure.
    public static func describe(_ error: Error) -> String {
        guard let e = error as? DecodingError else { return "invalid JSON body" }
        func path(_ c: [CodingKey]) -> String {
            let p = c.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "body" : p.replacingOccurrences(of: ".[", with: "[")
        }
        switch e {
        case .keyNotFound(let k, let ctx):
            let p = path(ctx.codingPath + [k])
            return "missing field '\(p)'"
        case .typeMismatch(let t, let ctx):
            return "field '\(path(ctx.codingPath))': expected \(typeName(t))"
        case .valueNotFound(let t, let ctx):
            return "field '\(path(ctx.codingPath))': expected \(typeName(t)), got null"
        case .dataCorrupted(let ctx):
            if ctx.codingPath.isEmpty { return "body is not valid JSON" }
            return "field '\(path(ctx.codingPath))': \(ctx.debugDescription)"
        @unknown default:
            return "invalid JSON body"
        }
    }

    private static func typeName(_ t: Any.Type) -> String {
        switch t {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "a boolean"
        default:
            String(describing: t).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}

extension HTTPResponse {
    /// A JSON response of an encodable value.
    public static func json<T: Encodable>(_ value: T, status: HTTPStatus = .ok) -> HTTPResponse {
        do {
            return HTTPResponse(status: status, contentType: "application/json", body: try JSON.encode(value))
        } catch {
            return HTTPResponse(status: .internalServerError, contentType: "application/json", body: Array("{}".utf8))
        }
    }

    /// A JSON response of raw, already-encoded bytes.
    public static func rawJSON(_ bytes: [UInt8], status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "application/json", body: bytes)
    }
}
