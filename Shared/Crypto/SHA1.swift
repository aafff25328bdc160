/// SHA-1 (FIPS 180-4 §6.1) in plain Swift. Broken for collision resistance: use it only
/// where a protocol demands it, as WebSocket's handshake does (`Sec-WebSocket-Accept`),
/// never to protect a secret.
///
/// Streaming: `update` any number of times, then `finalize`. One-shot: `hash(_:)` for the
/// 20 bytes, `hex(_:)` for 40 hex digits.
public struct SHA1: Sendable {
    /// The size of one block in bytes.
    public static let blockSize = 64
    /// The size of a digest in bytes.
    public static let digestSize = 20

    /// The five 32-bit words of the chaining state.
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32) = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0)
    /// Bytes fed but not yet compressed (always fewer than 64).
    private var pending: [UInt8] = []
    /// Bytes compressed so far (a multiple of 64).
    private var compressedLength = 0

    /// A fresh hasher.
    public init() {}

    /// Feeds bytes.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        if bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) != nil { return }
        let copied = Array(bytes)
        copied.withUnsafeBytes { update($0) }
    }

    /// Feeds a string's UTF-8.
    public mutating func update(_ text: String) {
        var copy = text
        copy.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// Feeds the bytes of a buffer.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        var offset = 0
        if !pending.isEmpty {
            let take = min(SHA1.blockSize - pending.count, buffer.count)
            pending.append(contentsOf: buffer[0..<take])
            offset = take
            if pending.count == SHA1.blockSize {
                let block = pending
                block.withUnsafeBytes { compress($0.baseAddress!) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        while buffer.count - offset >= SHA1.blockSize {
            compress(base + offset)
            offset += SHA1.blockSize
        }
        if offset < buffer.count { pending.append(contentsOf: buffer[offset...]) }
    }

    /// The 20-byte digest of everything fed so far (the hasher is spent afterwards).
    public mutating func finalize() -> [UInt8] {
        let bitLength = UInt64(compressedLength + pending.count) &* 8
        var tail = pending
        tail.append(0x80)
        while tail.count % SHA1.blockSize != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        pending.removeAll()
        tail.withUnsafeBytes { p in
            var offset = 0
            while offset < p.count {
                compress(p.baseAddress! + offset)
                offset += SHA1.blockSize
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(SHA1.digestSize)
        for word in [state.0, state.1, state.2, state.3, state.4] {
            out.append(UInt8(truncatingIfNeeded: word >> 24))
            out.append(UInt8(truncatingIfNeeded: word >> 16))
            out.append(UInt8(truncatingIfNeeded: word >> 8))
            out.append(UInt8(truncatingIfNeeded: word))
        }
        return out
    }

    /// The digest of `bytes`.
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = SHA1()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of a string's UTF-8 as 40 lowercase hex digits.
    public static func hex(_ text: String) -> String {
        var hasher = SHA1()
        hasher.update(text)
        return Hex.encode(hasher.finalize())
    }

    /// FIPS 180-4 §6.1.2: one 64-byte block into the chaining state.
    private mutating func compress(_ block: UnsafeRawPointer) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 80) { schedule in
            for index in 0..<16 {
                schedule[index] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
            }
            for index in 16..<80 {
                let mixed = schedule[index - 3] ^ schedule[index - 8] ^ schedule[index - 14] ^ schedule[index - 16]
                schedule[index] = mixed.rotatedLeft(by: 1)
            }
            // The working variables a…e of FIPS 180-4, under the standard's own names.
            var (a, b, c, d, e) = state
            for index in 0..<80 {
                let mix: UInt32, constant: UInt32
                switch index {
                case 0..<20: mix = (b & c) | (~b & d); constant = 0x5A827999
                case 20..<40: mix = b ^ c ^ d; constant = 0x6ED9EBA1
                case 40..<60: mix = (b & c) | (b & d) | (c & d); constant = 0x8F1BBCDC
                default: mix = b ^ c ^ d; constant = 0xCA62C1D6
                }
                let next = a.rotatedLeft(by: 5) &+ mix &+ e &+ constant &+ schedule[index]
                e = d
                d = c
                c = b.rotatedLeft(by: 30)
                b = a
                a = next
            }
            state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e)
        }
        compressedLength += SHA1.blockSize
    }
}

extension UInt32 {
    /// The word rotated left by `count` bits.
    @inline(__always)
    fileprivate func rotatedLeft(by count: UInt32) -> UInt32 { (self << count) | (self >> (32 - count)) }
}
