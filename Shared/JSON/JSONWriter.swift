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
    ///
    /// The bytes are written straight into the storage of the returned array (`capacity`
    /// bytes at first); a larger document continues in a buffer of the writer's own and is
    /// copied out once. An array whose storage is mostly unused is returned trimmed.
    static func streamed<T: Encodable>(_ value: T, capacity: Int = 1024) throws -> [UInt8]? {
        var fallback = false
        var spilled: [UInt8]?
        let bytes = try [UInt8](unsafeUninitializedCapacity: max(capacity, 64)) { storage, initialized in
            let w = JSONByteWriter(lending: storage)
            defer { w.returnLentStorage() }
            do {
                try w.encodeTopLevel(value)
            } catch {
                if w.invalid { fallback = true; return }
                throw error
            }
            // An error thrown inside and swallowed by the value's own code may have left a partial value.
            if w.invalid || w.threw { fallback = true; return }
            if w.isInLentStorage && !Self.wastes(capacity: storage.count, used: w.count) {
                initialized = w.count
            } else {
                spilled = w.out
            }
        }
        if fallback { return nil }
        return spilled ?? bytes
    }

    /// Whether an answer of `used` bytes in `capacity` would hold on to much unused memory.
    static func wastes(capacity: Int, used: Int) -> Bool {
        capacity - used > max(64 * 1024, used)
    }

    /// Foundation's encoder with the same configuration; used as the fallback.
    static func foundationEncode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.withoutEscapingSlashes]
        return Array(try e.encode(value))
    }
}
