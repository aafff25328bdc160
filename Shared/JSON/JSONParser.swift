/// A strict JSON parser (RFC 8259) of whole documents into `JSONValue`.
///
/// Refused: trailing commas, leading zeros, `NaN`/`Infinity`, comments, single quotes,
/// unescaped control characters in strings, escapes of a lone UTF-16 surrogate, bytes that
/// are not UTF-8, data after the value; and what passes `options`' limits (depth, bytes,
/// string length), duplicate keys (unless `.keepLast`) and a byte order mark (unless allowed).
/// A number beyond `Double`'s range (`1e400`) is refused; an integer beyond `Int64` is kept
/// as the nearest `Double`. Any value may stand at the top level. Errors name the reason
/// and the byte offset.
public struct JSONParser: Sendable {
    /// Limits and policies.
    public var options: JSONParserOptions

    /// A parser with `options`.
    public init(options: JSONParserOptions = JSONParserOptions()) { self.options = options }

    /// The value of a whole document.
    public func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        guard bytes.count <= options.maxBytes else {
            throw JSONParseError(.tooLarge(limit: options.maxBytes), at: options.maxBytes)
        }
        // Swift 6.3 cannot yet infer a typed throw through `withUnsafeBufferPointer`.
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer, options: options)
            do throws(JSONParseError) {
                return .success(try scanner.document())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The value of a whole document of text.
    public func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}
