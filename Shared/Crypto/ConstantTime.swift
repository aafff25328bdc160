/// Comparison of secrets in time that depends on their lengths only, never on where they
/// first differ (so an attacker cannot find a token byte by byte by timing refusals).
/// Every comparison of secrets in the project goes through `equals(_:_:)` over buffers.
public enum ConstantTime {
    /// Whether two buffers hold the same bytes. Reads every byte of the common length, with
    /// no early exit; buffers of different lengths are never equal.
    public static func equals(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        var difference: UInt8 = 0
        for index in 0..<min(lhs.count, rhs.count) {
            difference |= lhs[index] ^ rhs[index]
        }
        return (difference == 0) && (lhs.count == rhs.count)
    }

    /// Whether two byte arrays are equal (see `equals(_:_:)` over buffers).
    public static func equals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        lhs.withUnsafeBytes { left in rhs.withUnsafeBytes { right in equals(left, right) } }
    }

    /// Whether two strings have the same UTF-8 (read in place, no copy).
    public static func equals(_ lhs: String, _ rhs: String) -> Bool {
        var lhs = lhs, rhs = rhs
        return lhs.withUTF8 { left in rhs.withUTF8 { right in equals(UnsafeRawBufferPointer(left), UnsafeRawBufferPointer(right)) } }
    }
}
