import JSON

/// Decoding of wire payloads into the typed structs, the module's one JSON entry point: the
/// strict parser (duplicate keys refused) and `StrictJSONDecoder`.
enum WireJSON {
    /// `T` from JSON bytes; `LLMWireError` naming the failing field or byte when the shape does not fit.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(LLMWireError) -> T {
        do {
            return try StrictJSONDecoder().decode(type, from: bytes)
        } catch {
            throw LLMWireError("not a valid \(T.self): \(StrictJSONDecoder.message(for: error))")
        }
    }

    /// A JSON document's value; `LLMWireError` with the parser's reason and offset.
    static func parse(_ bytes: [UInt8]) throws(LLMWireError) -> JSONValue {
        do {
            return try JSONParser().parse(bytes)
        } catch {
            throw LLMWireError("not JSON: \(error)")
        }
    }
}
