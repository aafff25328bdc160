/// SHA-256 (FIPS 180-4) in plain Swift: API-key and session digests, HMAC, anything that
/// needs a cryptographic hash without a C library.
///
/// Streaming: `update` any number of times, then `finalize`. One-shot: `digest(_:)` over a
/// string's UTF-8 or over bytes, `hash(_:)` for the 32 bytes, `hex(_:)` for 64 hex digits.
/// A block is compressed straight from the caller's memory when it is contiguous, and the
/// message schedule lives on the stack: hashing a short string allocates nothing.
public struct SHA256: Sendable {
    /// The size of one block in bytes (the HMAC block size).
    public static let blockSize = 64
    /// The size of a digest in bytes.
    public static let digestSize = 32

    /// The eight 32-bit words of the chaining state (and of a digest).
    typealias Words = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the
    /// first 64 primes.
    private static let roundConstants: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    /// FIPS 180-4 §5.3.3: the initial hash value.
    private static let initialState: Words =
        (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)

    private var state: Words = SHA256.initialState
    /// Bytes fed but not yet compressed (always fewer than 64).
    private var pending: [UInt8] = []
    /// Bytes compressed so far (a multiple of 64).
    private var compressedLength: Int = 0

    /// A fresh hasher.
    public init() {}

    // MARK: Streaming

    /// Feeds bytes (any sequence; contiguous ones are read in place).
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        if bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) != nil { return }
        for byte in bytes {
            pending.append(byte)
            if pending.count == SHA256.blockSize { compressPending() }
        }
    }

    /// Feeds a string's UTF-8.
    public mutating func update(_ text: String) {
        var text = text
        text.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// Feeds the bytes of a buffer.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        if !pending.isEmpty {
            let taken = min(SHA256.blockSize - pending.count, buffer.count)
            pending.append(contentsOf: buffer[0..<taken])
            offset = taken
            if pending.count == SHA256.blockSize { compressPending() }
        }
        while buffer.count - offset >= SHA256.blockSize {
            compress(base + offset)
            offset += SHA256.blockSize
        }
        if offset < buffer.count { pending.append(contentsOf: buffer[offset...]) }
    }

    /// The digest of everything fed so far; the hasher starts over afterwards.
    public mutating func finalize() -> Digest {
        let total = compressedLength + pending.count
        let tail = pending
        let words = tail.withUnsafeBytes { finalizeWords(tail: $0, totalLength: total) }
        self = SHA256()
        return Digest(words)
    }

    // MARK: One-shot

    /// The digest of a string's UTF-8 (no copy of the string, no allocation).
    public static func digest(_ text: String) -> Digest {
        var text = text
        return Digest(text.withUTF8 { words(of: UnsafeRawBufferPointer($0)) })
    }

    /// The digest of the bytes of a buffer, in one pass without copying them.
    public static func digest(_ buffer: UnsafeRawBufferPointer) -> Digest {
        Digest(words(of: buffer))
    }

    /// The digest of bytes.
    public static func digest<Bytes: Sequence>(_ bytes: Bytes) -> Digest where Bytes.Element == UInt8 {
        if let words = bytes.withContiguousStorageIfAvailable({ words(of: UnsafeRawBufferPointer($0)) }) {
            return Digest(words)
        }
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The 32 digest bytes of `bytes`.
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        digest(bytes).bytes
    }

    /// The digest of a string's UTF-8, as 64 lowercase hex digits.
    public static func hex(_ text: String) -> String { digest(text).hex }

    // MARK: Compression

    /// The words of the digest of `buffer` in one pass, without copying it.
    private static func words(of buffer: UnsafeRawBufferPointer) -> Words {
        var hasher = SHA256()
        var offset = 0
        if let base = buffer.baseAddress {
            while buffer.count - offset >= blockSize {
                hasher.compress(base + offset)
                offset += blockSize
            }
        }
        return hasher.finalizeWords(tail: UnsafeRawBufferPointer(rebasing: buffer[offset...]), totalLength: buffer.count)
    }

    private mutating func compressPending() {
        let block = pending
        block.withUnsafeBytes { compress($0.baseAddress!) }
        pending.removeAll(keepingCapacity: true)
    }

    /// Pads `tail` (the last, partial block; `totalLength` bytes fed in all) on the stack,
    /// compresses it and returns the final state.
    private mutating func finalizeWords(tail: UnsafeRawBufferPointer, totalLength: Int) -> Words {
        let tailCount = tail.count
        let bitLength = UInt64(totalLength) &* 8
        let blocks = tailCount < 56 ? 1 : 2
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * SHA256.blockSize) { block in
            block.initialize(repeating: 0)
            for index in 0..<tailCount { block[index] = tail[index] }
            block[tailCount] = 0x80
            let end = blocks * SHA256.blockSize
            for index in 0..<8 { block[end - 1 - index] = UInt8(truncatingIfNeeded: bitLength >> (UInt64(index) * 8)) }
            let base = UnsafeRawPointer(block.baseAddress!)
            compress(base)
            if blocks == 2 { compress(base + SHA256.blockSize) }
        }
        return state
    }

    /// Compresses the 64-byte block at `block` into the state (FIPS 180-4 §6.2.2; the
    /// working variables keep the standard's names a…h). The schedule lives on the stack.
    private mutating func compress(_ block: UnsafeRawPointer) {
        compressedLength += SHA256.blockSize
        let bytes = block.assumingMemoryBound(to: UInt8.self)
        let start = state
        state = withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
            for word in 0..<16 {
                schedule[word] = UInt32(bytes[word * 4]) << 24 | UInt32(bytes[word * 4 + 1]) << 16
                    | UInt32(bytes[word * 4 + 2]) << 8 | UInt32(bytes[word * 4 + 3])
            }
            for word in 16..<64 {
                let back15 = schedule[word - 15], back2 = schedule[word - 2]
                let sigma0 = back15.rotatedRight(7) ^ back15.rotatedRight(18) ^ (back15 >> 3)
                let sigma1 = back2.rotatedRight(17) ^ back2.rotatedRight(19) ^ (back2 >> 10)
                schedule[word] = schedule[word - 16] &+ sigma0 &+ schedule[word - 7] &+ sigma1
            }
            return SHA256.roundConstants.withUnsafeBufferPointer { constants in
                var (a, b, c, d, e, f, g, h) = start
                for round in 0..<64 {
                    let bigSigma1 = e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)
                    let choose = (e & f) ^ (~e & g)
                    let temp1 = h &+ bigSigma1 &+ choose &+ constants[round] &+ schedule[round]
                    let bigSigma0 = a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)
                    let majority = (a & b) ^ (a & c) ^ (b & c)
                    let temp2 = bigSigma0 &+ majority
                    h = g; g = f; f = e; e = d &+ temp1
                    d = c; c = b; b = a; a = temp1 &+ temp2
                }
                return (start.0 &+ a, start.1 &+ b, start.2 &+ c, start.3 &+ d,
                        start.4 &+ e, start.5 &+ f, start.6 &+ g, start.7 &+ h)
            }
        }
    }
}

extension UInt32 {
    /// The bits rotated right by `count` (0 < count < 32).
    @inline(__always) fileprivate func rotatedRight(_ count: UInt32) -> UInt32 { (self >> count) | (self << (32 - count)) }
}
