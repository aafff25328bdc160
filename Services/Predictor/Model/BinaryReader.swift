import Foundation

/// Appends fixed-width values and arrays to a byte buffer (little-endian host layout).
struct BinaryWriter {
    var data = Data()

    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }
    mutating func string(_ s: String) {
        let b = Array(s.utf8)
        u32(UInt32(b.count))
        data.append(contentsOf: b)
    }
    mutating func array<T: FixedWidthInteger>(_ a: [T]) {
        u64(UInt64(a.count))
        a.withUnsafeBytes { data.append(contentsOf: $0) }
    }
}

/// Errors raised while decoding a binary cache.
public enum BinaryCodecError: Error, Sendable {
    /// The data ended early or has a bad header.
    case corrupt(String)
}

/// Reads what `BinaryWriter` wrote, checking bounds.
struct BinaryReader {
    let data: Data
    var pos: Int

    init(_ data: Data) {
        self.data = data
        self.pos = data.startIndex
    }

    mutating func need(_ n: Int) throws {
        guard n >= 0, pos + n <= data.endIndex else { throw BinaryCodecError.corrupt("truncated at \(pos)") }
    }
    mutating func u32() throws -> UInt32 {
        try need(4)
        var v: UInt32 = 0
        _ = withUnsafeMutableBytes(of: &v) { data.copyBytes(to: $0, from: pos..<(pos + 4)) }
        pos += 4
        return UInt32(littleEndian: v)
    }
    mutating func u64() throws -> UInt64 {
        try need(8)
        var v: UInt64 = 0
        _ = withUnsafeMutableBytes(of: &v) { data.copyBytes(to: $0, from: pos..<(pos + 8)) }
        pos += 8
        return UInt64(littleEndian: v)
    }
    mutating func f64() throws -> Double { Double(bitPattern: try u64()) }
    mutating func string() throws -> String {
        let n = Int(try u32())
        try need(n)
        let s = String(decoding: data[pos..<(pos + n)], as: UTF8.self)
        pos += n
        return s
    }
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
