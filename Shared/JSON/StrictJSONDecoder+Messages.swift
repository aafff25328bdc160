import Foundation

extension StrictJSONDecoder {
    /// A precise, client-facing message for a failure of `decode` (or of Foundation's
    /// decoder): the field path with array indices in brackets (`files.a.py`, `tags[0]`)
    /// and what was expected, or where the bytes stop being JSON.
    public static func message(for error: any Error) -> String {
        if let e = error as? JSONParseError { return "body is not valid JSON: \(e)" }
        guard let e = error as? DecodingError else { return "invalid JSON body" }
        switch e {
        case .keyNotFound(let k, let ctx):
            return "missing field '\(path(ctx.codingPath + [k]))'"
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

    /// `a.b[0].c` (a key with an integer value is an index); `body` for the top level.
    static func path(_ keys: [any CodingKey]) -> String {
        let p = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        return p.isEmpty ? "body" : p.replacingOccurrences(of: ".[", with: "[")
    }

    static func typeName(_ t: Any.Type) -> String {
        switch t {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type, is Int16.Type, is Int8.Type,
             is UInt.Type, is UInt64.Type, is UInt32.Type, is UInt16.Type, is UInt8.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "a boolean"
        default:
            String(describing: t).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
