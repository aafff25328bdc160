/// FNV-1a, 64-bit (Fowler–Noll–Vo): a fast NON-cryptographic hash.
///
/// Its value depends on the bytes alone: the same in every run, process and machine,
/// unlike Swift's `Hasher`, which is seeded afresh in each process. So it may name files
/// and key rows that outlive the process (the predictor's model cache file, the
/// orchestrator's chunk lookup); changing it would orphan them. Not for secrets or
/// integrity, and not for tables keyed by untrusted input: collisions are easy to make.
public struct FNV1a64: Sendable {
    /// The starting value (the FNV-1 64-bit offset basis).
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    /// The 64-bit FNV prime, 2^40 + 2^8 + 0xb3.
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The hash of everything fed so far (`offsetBasis` for nothing).
    public private(set) var value: UInt64 = FNV1a64.offsetBasis

    /// A fresh hash.
    public init() {}

    /// Feeds bytes: for each, xor it into the value, then multiply by the prime.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        var hash = value
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* FNV1a64.prime }
        value = hash
    }

    /// Feeds a string's UTF-8.
    public mutating func update(_ text: String) {
        var text = text
        text.withUTF8 { update($0) }
    }

    /// The hash of a string's UTF-8.
    public static func hash(_ text: String) -> UInt64 {
        var hasher = FNV1a64()
        hasher.update(text)
        return hasher.value
    }

    /// The hash of bytes.
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hasher = FNV1a64()
        hasher.update(bytes)
        return hasher.value
    }
}
