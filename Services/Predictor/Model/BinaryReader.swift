import Foundation

/// Reads what `BinaryWriter` wrote, checking bounds.
struct BinaryReader {
    /// The bytes read.
    let data: Data
    /// The next byte's index in `data`.
    var pos: Int

    /// A reader at the start of `data`.
    init(_ data: Data) {
        self.data = data
        self.pos = data.startIndex
    }

    /// Throws `corrupt` unless `n` more bytes remain.
    mutating func need(_ n: Int) throws {
        guard n >= 0, pos + n <= data.endIndex else { throw BinaryCodecError.corrupt("truncated at \(pos)") }
    }
    /// Reads 4 bytes.
    mutating func u32() throws -> UInt32 {
        try need(4)
        var v: UInt32 = 0
        _ = withUnsafeMutableBytes(of: &v) { data.copyBytes(to: $0, from: pos..<(pos + 4)) }
        pos += 4
        return UInt32(littleEndian: v)
    }
    /// Reads 8 bytes.
    mutating func u64() throws -> UInt64 {
        try need(8)
        var v: UInt64 = 0
        _ = withUnsafeMutableBytes(of: &v) { data.copyBytes(to: $0, from: pos..<(pos + 8)) }
        pos += 8
        return UInt64(littleEndian: v)
    }
    /// Reads a double's bit pattern.
    mutating func f64() throws -> Double { Double(bitPattern: try u64()) }
    /// Reads a length-prefixed UTF-8 string.
    mutating func string() throws -> String {
        let n = Int(try u32())
        try need(n)
        let s = String(decoding: data[pos..<(pos + n)], as: UTF8.self)
        pos += n
        return s
    }
    /// Reads a count-prefixed array of fixed-width integers.
    mutating func array<T: FixedWidthInteger>(_: T.Type) throws -> [T] {
        let n = try u64()
        guard n < UInt64(Int32.max) else { throw BinaryCodecError.corrupt("bad length") }
        let bytes = Int(n) * MemoryLayout<T>.stride
        try need(bytes)
        let a = [T](unsafeUninitializedCapacity: Int(n)) { buf, count in
            if bytes > 0 {
                _ = data.copyBytes(to: UnsafeMutableRawBufferPointer(buf), from: pos..<(pos + bytes))
            }
            count = Int(n)
        }
        pos += bytes
        return a
    }
}
