import Foundation
import HTTPCore
import JSON

/// ServiceKit's JSON entry points, a facade on the `JSON` module: `JSONWriter` out (keys in
/// declaration order, ISO-8601 dates), the strict parser and `StrictJSONDecoder` in.
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

    /// Decodes a value with the strict parser (default limits: depth 128, duplicate keys
    /// refused; the body size is the server's limit); dates as ISO-8601. Throws
    /// `JSONParseError` or `DecodingError`.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try StrictJSONDecoder().decode(type, from: bytes)
    }

    /// A precise, client-facing message for a decoding failure (the failing field, or
    /// where the bytes stop being JSON).
    public static func describe(_ error: Error) -> String {
        StrictJSONDecoder.message(for: error)
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
