import Foundation

/// Decodes `Decodable` types from JSON through the strict `JSONParser`, so bodies are held to
/// its rules and limits rather than Foundation's.
///
/// Behaves as Foundation's `JSONDecoder` with `.iso8601` dates: missing keys and `null` give
/// nil for optionals; `Date` from an ISO-8601 string (fractional seconds accepted), `Data`
/// from base64, `URL` from a string, `Decimal` from a number; an integer type accepts a
/// number with no fractional part that fits it. Failures are `DecodingError`s whose coding
/// path names the field (see `message(for:)`), or a `JSONParseError` for malformed bytes.
public struct StrictJSONDecoder: Sendable {
    /// The parser's limits and policies.
    public var parserOptions: JSONParserOptions

    /// A decoder with the parser's `options`.
    public init(parserOptions: JSONParserOptions = JSONParserOptions()) { self.parserOptions = parserOptions }

    /// Parses `bytes` and decodes a `T`; throws `JSONParseError` or `DecodingError`.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let value = try JSONParser(options: parserOptions).parse(bytes)
        return try decode(type, from: value)
    }

    /// Decodes a `T` from a parsed value; throws `DecodingError`.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try JSONUnboxing.decode(type, value, JSONCodingPath.root, nil)
    }
}
