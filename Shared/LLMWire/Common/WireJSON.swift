import Foundation

/// Decoding of wire payloads into the typed structs, the module's one JSON entry point.
enum WireJSON {
    /// `T` from JSON bytes; `LLMWireError` naming the type when the shape does not fit.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws(LLMWireError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw LLMWireError("not a valid \(T.self): \(error)")
        }
    }
}
