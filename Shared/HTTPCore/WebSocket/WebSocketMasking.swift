/// The XOR masking of RFC 6455 §5.3: byte `i` of the payload is XORed with byte
/// `(phase + i) % 4` of the key. The key's bytes are its four bytes on the wire, most
/// significant first. Masking and unmasking are the same operation; eight bytes are
/// done at a time.
enum WebSocketMasking {
    /// Masks (or unmasks) `bytes[range]` in place, as if `range.lowerBound` were
    /// payload offset `phase`.
    static func apply(key: UInt32, to bytes: inout [UInt8], in range: Range<Int>, phase: Int = 0) {
        guard !range.isEmpty else { return }
        let keyBytes: [UInt8] = [UInt8(truncatingIfNeeded: key >> 24), UInt8(truncatingIfNeeded: key >> 16),
                                 UInt8(truncatingIfNeeded: key >> 8), UInt8(truncatingIfNeeded: key)]
        // Eight key bytes in the order the payload needs them from `range.lowerBound` on,
        // read as one word in memory order (endianness does not matter for XOR).
        var pattern = [UInt8](repeating: 0, count: 8)
        for index in 0..<8 { pattern[index] = keyBytes[(phase + index) & 3] }
        let word = pattern.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        bytes.withUnsafeMutableBytes { buffer in
            let base = buffer.baseAddress! + range.lowerBound
            let count = range.count
            var offset = 0
            while count - offset >= 8 {
                let value = (base + offset).loadUnaligned(as: UInt64.self) ^ word
                (base + offset).storeBytes(of: value, as: UInt64.self)
                offset += 8
            }
            while offset < count {
                let byte = (base + offset).load(as: UInt8.self) ^ pattern[offset & 7]
                (base + offset).storeBytes(of: byte, as: UInt8.self)
                offset += 1
            }
        }
    }
}
