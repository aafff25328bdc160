/// SHA-256 (FIPS 180-4) in plain Swift, so the gateway needs no crypto library to hash
/// API keys and session ids. Only digests of secrets are ever stored.
public struct SHA256: Sendable {
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    private var h: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
    private var buffer: [UInt8] = []

    /// A fresh hasher.
    public init() {}

    /// Feeds bytes.
    public mutating func update<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        if bytes.withContiguousStorageIfAvailable({ p in updateContiguous(UnsafeRawBufferPointer(p)) }) != nil { return }
        for b in bytes {
            buffer.append(b)
            if buffer.count == 64 { compressBuffer() }
        }
    }

    private mutating func updateContiguous(_ p: UnsafeRawBufferPointer) {
        guard let base = p.baseAddress else { return }
        var i = 0
        if !buffer.isEmpty {
            let n = min(64 - buffer.count, p.count)
            buffer.append(contentsOf: p[0..<n])
            i = n
            if buffer.count == 64 { compressBuffer() }
        }
        while p.count - i >= 64 {
            compress(base + i)
            i += 64
        }
        if i < p.count { buffer.append(contentsOf: p[i...]) }
    }

    private mutating func compressBuffer() {
        let block = buffer
        block.withUnsafeBytes { compress($0.baseAddress!) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// The 32-byte digest of everything fed so far.
    public mutating func finalize() -> [UInt8] {
        let total = totalFed + buffer.count
        let tail = buffer
        buffer.removeAll()
        return Digest(tail.withUnsafeBytes { finalizeWords(tail: $0, totalLength: total) }).bytes
    }

    typealias Words = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// Pads `tail` (the last, partial block; `totalLength` bytes fed in all) on the stack,
    /// compresses it and returns the digest as eight big-endian words.
    private mutating func finalizeWords(tail: UnsafeRawBufferPointer, totalLength: Int) -> Words {
        let pending = tail.count
        let bitLength = UInt64(totalLength) &* 8
        let blocks = pending < 56 ? 1 : 2
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { block in
            block.initialize(repeating: 0)
            for i in 0..<pending { block[i] = tail[i] }
            block[pending] = 0x80
            let end = blocks * 64
            for i in 0..<8 { block[end - 1 - i] = UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8)) }
            let base = UnsafeRawPointer(block.baseAddress!)
            compress(base)
            if blocks == 2 { compress(base + 64) }
        }
        return h
    }

    /// The digest of `p` in one pass, without copying it.
    static func words(_ p: UnsafeRawBufferPointer) -> Words {
        var s = SHA256()
        var i = 0
        if let base = p.baseAddress {
            while p.count - i >= 64 { s.compress(base + i); i += 64 }
        }
        return s.finalizeWords(tail: UnsafeRawBufferPointer(rebasing: p[i...]), totalLength: p.count)
    }

    private var totalFed: Int = 0

    /// One 64-byte block at `block` (no allocation: the schedule lives on the stack).
    private mutating func compress(_ block: UnsafeRawPointer) {
        totalFed += 64
        let bytes = block.assumingMemoryBound(to: UInt8.self)
        let start = h
        h = withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for t in 0..<16 {
                w[t] = UInt32(bytes[t * 4]) << 24 | UInt32(bytes[t * 4 + 1]) << 16 | UInt32(bytes[t * 4 + 2]) << 8 | UInt32(bytes[t * 4 + 3])
            }
            for t in 16..<64 {
                let s0 = w[t - 15].rotr(7) ^ w[t - 15].rotr(18) ^ (w[t - 15] >> 3)
                let s1 = w[t - 2].rotr(17) ^ w[t - 2].rotr(19) ^ (w[t - 2] >> 10)
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }
            return SHA256.k.withUnsafeBufferPointer { k in
                var (a, b, c, d, e, f, g, hh) = start
                for t in 0..<64 {
                    let s1 = e.rotr(6) ^ e.rotr(11) ^ e.rotr(25)
                    let ch = (e & f) ^ (~e & g)
                    let t1 = hh &+ s1 &+ ch &+ k[t] &+ w[t]
                    let s0 = a.rotr(2) ^ a.rotr(13) ^ a.rotr(22)
                    let maj = (a & b) ^ (a & c) ^ (b & c)
                    let t2 = s0 &+ maj
                    hh = g; g = f; f = e; e = d &+ t1
                    d = c; c = b; b = a; a = t1 &+ t2
                }
                return (start.0 &+ a, start.1 &+ b, start.2 &+ c, start.3 &+ d, start.4 &+ e, start.5 &+ f, start.6 &+ g, start.7 &+ hh)
            }
        }
    }

    /// The digest of `bytes`.
    public static func hash<S: Sequence>(_ bytes: S) -> [UInt8] where S.Element == UInt8 {
        var s = SHA256()
        s.update(bytes)
        return s.finalize()
    }

    /// A digest as a value: hashable without allocating (cache keys); bytes and hex on demand.
    public struct Digest: Hashable, Sendable {
        private let a, b, c, d, e, f, g, h: UInt32

        init(_ w: Words) { (a, b, c, d, e, f, g, h) = w }

        /// The 32 bytes (big-endian words).
        public var bytes: [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(32)
            for v: UInt32 in [a, b, c, d, e, f, g, h] {
                out.append(UInt8(v >> 24)); out.append(UInt8((v >> 16) & 0xff))
                out.append(UInt8((v >> 8) & 0xff)); out.append(UInt8(v & 0xff))
            }
            return out
        }

        /// 64 lowercase hex digits.
        public var hex: String { Secrets.hex(bytes) }
    }

    /// The digest of a string's UTF-8.
    public static func digest(_ text: String) -> Digest {
        var text = text
        return Digest(text.withUTF8 { words(UnsafeRawBufferPointer($0)) })
    }

    /// The digest of a string's UTF-8, as 64 lowercase hex digits.
    public static func hex(_ text: String) -> String { digest(text).hex }
}

extension UInt32 {
    @inline(__always) fileprivate func rotr(_ n: UInt32) -> UInt32 { (self >> n) | (self << (32 - n)) }
}
