extension SHA256 {
    /// A SHA-256 digest as a value: hashable and comparable without allocating (cache keys);
    /// its bytes and hex form on demand.
    public struct Digest: Hashable, Sendable {
        private let word0, word1, word2, word3, word4, word5, word6, word7: UInt32

        init(_ words: Words) {
            (word0, word1, word2, word3, word4, word5, word6, word7) = words
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
