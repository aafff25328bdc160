import Foundation

/// A fast, streaming JSON `Encoder` that writes bytes directly into a `[UInt8]`.
///
/// Output is semantically identical to Foundation's `JSONEncoder` configured with `.iso8601` dates,
/// `.withoutEscapingSlashes` and no pretty printing: keys appear in the order they are encoded.
///
/// Codable lets a type request containers in any order (a nested container may be requested, then
/// the parent written to, then the nested one filled). The writer streams values as long as
/// containers are used in nesting order, which is what synthesized and almost all hand-written
/// conformances do. If a container or encoder is used after a sibling or its parent moved past it,
/// the writer notices, gives up, and `JSONWriter.encode` re-encodes the value with Foundation's
/// `JSONEncoder`, so the result is always correct.
public enum JSONWriter {
    /// Encodes a value as compact JSON bytes.
    public static func encode<T: Encodable>(_ value: T, capacity: Int = 1024) throws -> [UInt8] {
        if let bytes = try streamed(value, capacity: capacity) { return bytes }
        return try foundationEncode(value)
    }

    /// The streaming encoder alone: nil where the value used containers out of nesting order.
    static func streamed<T: Encodable>(_ value: T, capacity: Int = 1024) throws -> [UInt8]? {
        let w = JSONByteWriter(capacity: capacity)
        do {
            try w.encodeTopLevel(value)
        } catch {
            if w.invalid { return nil }
            throw error
        }
        // An error thrown inside and swallowed by the value's own code may have left a partial value.
        return w.invalid || w.threw ? nil : w.out
    }

    /// Foundation's encoder with the same configuration; used as the fallback.
    static func foundationEncode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.withoutEscapingSlashes]
        return Array(try e.encode(value))
    }
}
