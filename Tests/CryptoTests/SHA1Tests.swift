import Crypto
import Testing

@Suite("SHA-1")
struct SHA1Tests {
    /// FIPS 180-2 appendix A and the NIST example vectors (one block, two blocks, empty).
    @Test(arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "a49b2446a02c645bf419f995b67091253a04a259"),
        ("The quick brown fox jumps over the lazy dog", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"),
    ])
    func knownVectors(input: String, digest: String) {
        #expect(SHA1.hex(input) == digest)
    }

    @Test func millionAs() {
        var hasher = SHA1()
        let chunk = [UInt8](repeating: 0x61, count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(Hex.encode(hasher.finalize()) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    @Test func boundaryLengthsMatchIncrementalFeeding() {
        // 55, 56, 63, 64, 65 bytes: the padding edge cases; one-shot equals byte-by-byte.
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            var hasher = SHA1()
            for byte in bytes { hasher.update([byte]) }
            let whole = SHA1.hash(bytes)
            #expect(hasher.finalize() == whole, "length \(length)")
            #expect(whole.count == SHA1.digestSize)
            // A non-contiguous sequence takes the copying path and agrees.
            #expect(SHA1.hash(bytes.lazy.map { $0 }) == whole, "length \(length)")
        }
    }

    /// RFC 6455 §1.3: the handshake example's accept value hashes the key and the GUID.
    @Test func webSocketHandshakeExample() {
        let digest = SHA1.hash(Array("dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11".utf8))
        #expect(Hex.encode(digest) == "b37a4f2cc0624f1690f64606cf385945b2bec4ea")
    }
}
