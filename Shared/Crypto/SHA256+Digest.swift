extension SHA256 {
    /// A SHA-256 digest as a value: hashable and comparable without allocating (cache keys);
    /// its bytes and hex form on demand.
    public struct Digest: Hashable, Sendable {
        private let word0, word1, word2, word3, word4, word5, word6, word7: UInt32

        init(_ words: Words) {
            (word0, word1, word2, word3, word4, word5, word6, word7) = words
        }

        /// The digest written as 64 hex digits (as `hex` gives it; either case), or nil
        /// when `hex` is not that: a stored digest back to the value form.
        public init?(hex: String) {
            guard hex.utf8.count == 64, let bytes = try? Hex.decode(hex), bytes.count == 32 else { return nil }
            func word(_ index: Int) -> UInt32 {
                bytes[index * 4 ..< index * 4 + 4].reduce(0) { $0 << 8 | UInt32($1) }
            }
            self.init((word(0), word(1), word(2), word(3), word(4), word(5), word(6), word(7)))
        }

        /// Calls `body` with the 32 digest bytes (big-endian words) in a stack buffer.
        public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
            var bigEndian = (word0.bigEndian, word1.bigEndian, word2.bigEndian, word3.bigEndian,
                             word4.bigEndian, word5.bigEndian, word6.bigEndian, word7.bigEndian)
            return try Swift.withUnsafeBytes(of: &bigEndian) { try body($0) }
        }

        /// The 32 digest bytes.
        public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

        /// The digest as 64 lowercase hex digits.
        public var hex: String { withUnsafeBytes { Hex.encode($0) } }
    }
}
