/// Byte splits for parser tests: a parser fed the same bytes in any split must produce the
/// same result as fed whole.
public enum ByteSplits {
    /// `bytes` cut at the given offsets (sorted; offsets outside 1..<count are ignored).
    public static func split(_ bytes: [UInt8], at points: [Int]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var last = 0
        for point in points.sorted() where point > last && point < bytes.count {
            out.append(Array(bytes[last..<point]))
            last = point
        }
        out.append(Array(bytes[last...]))
        return out
    }

    /// Every way of cutting `bytes` in two (one per inner offset).
    public static func everyTwoWaySplit(_ bytes: [UInt8]) -> [[[UInt8]]] {
        bytes.count < 2 ? [[bytes]] : (1..<bytes.count).map { split(bytes, at: [$0]) }
    }

    /// One byte per chunk.
    public static func byteAtATime(_ bytes: [UInt8]) -> [[UInt8]] { bytes.map { [$0] } }

    /// `count` random splits into up to `pieces` chunks, the same for the same `seed`.
    public static func randomSplits(_ bytes: [UInt8], pieces: Int, count: Int, seed: UInt64) -> [[[UInt8]]] {
        guard !bytes.isEmpty else { return [[bytes]] }
        var generator = SplitMix(seed: seed)
        return (0..<count).map { _ in
            split(bytes, at: (0..<(pieces - 1)).map { _ in Int(generator.next() % UInt64(bytes.count)) })
        }
    }
}

/// A tiny deterministic generator (SplitMix64) for split points and test data.
public struct SplitMix: RandomNumberGenerator {
    private var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next value.
    public mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
