/// A growable byte buffer with a read index, used for socket input.
struct ByteBuffer {
    var bytes: [UInt8] = []
    var readIndex = 0

    /// Bytes not yet consumed.
    var readable: Int { bytes.count - readIndex }
    var isEmpty: Bool { readIndex >= bytes.count }

    mutating func append(_ p: UnsafeRawBufferPointer) {
        if readIndex > 0 && readIndex == bytes.count {
            bytes.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if readIndex > 65536 && readIndex * 2 > bytes.count {
            bytes.removeFirst(readIndex)
            readIndex = 0
        }
        bytes.append(contentsOf: p)
    }

    mutating func append(_ a: [UInt8]) { a.withUnsafeBytes { append($0) } }

    /// Consumes `n` bytes and returns them.
    mutating func take(_ n: Int) -> [UInt8] {
        let out = Array(bytes[readIndex..<readIndex + n])
        readIndex += n
        if readIndex == bytes.count { bytes.removeAll(keepingCapacity: true); readIndex = 0 }
        return out
    }

    mutating func skip(_ n: Int) {
        readIndex += n
        if readIndex == bytes.count { bytes.removeAll(keepingCapacity: true); readIndex = 0 }
    }

    mutating func clear() { bytes.removeAll(keepingCapacity: true); readIndex = 0 }
}

extension Array where Element == UInt8 {
    /// Appends a string's UTF-8 with one copy (a generic `append(contentsOf: s.utf8)`
    /// walks the view byte by byte).
    @inline(__always)
    mutating func appendUTF8(_ s: String) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ append(contentsOf: $0) }) { return done }
        append(contentsOf: s.utf8)
    }

    /// Appends `s`'s UTF-8 when every byte is allowed by `table` (validation and copy in
    /// one pass over the string's storage); false, with nothing appended, otherwise.
    mutating func appendUTF8(_ s: String, ifAllIn table: [Bool]) -> Bool {
        if let r = s.utf8.withContiguousStorageIfAvailable({ p -> Bool in
            let ok = table.withUnsafeBufferPointer { t in
                var ok = true
                for b in p { ok = ok && t[Int(b)] }
                return ok
            }
            if ok { append(contentsOf: p) }
            return ok
        }) { return r }
        guard s.utf8.allSatisfy({ table[Int($0)] }) else { return false }
        append(contentsOf: s.utf8)
        return true
    }
}
