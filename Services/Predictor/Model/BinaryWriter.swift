import Foundation

/// Appends fixed-width values and arrays to a byte buffer (little-endian), the format of the
/// model caches; `BinaryReader` reads it back.
struct BinaryWriter {
    /// What has been written.
    var data = Data()

    /// Appends 4 bytes.
    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
    /// Appends 8 bytes.
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
    /// Appends a double's bit pattern (8 bytes).
    mutating func f64(_ value: Double) { u64(value.bitPattern) }
    /// Appends the UTF-8 length (4 bytes), then the UTF-8 bytes.
    mutating func string(_ text: String) {
        let bytes = Array(text.utf8)
        u32(UInt32(bytes.count))
        data.append(contentsOf: bytes)
    }
    /// Appends the element count (8 bytes), then the elements' bytes in host layout.
    mutating func array<Element: FixedWidthInteger>(_ elements: [Element]) {
        u64(UInt64(elements.count))
        elements.withUnsafeBytes { data.append(contentsOf: $0) }
    }
}
