import AuthGateway
import Testing

@Suite("SHA-256 and secrets")
struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("The quick brown fox jumps over the lazy dog", "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"),
    ])
    func knownVectors(input: String, digest: String) {
        #expect(SHA256.hex(input) == digest)
    }

    @Test func millionAs() {
        var h = SHA256()
        let chunk = [UInt8](repeating: 0x61, count: 1000)
        for _ in 0..<1000 { h.update(chunk) }
        #expect(Secrets.hex(h.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func boundaryLengthsMatchIncrementalFeeding() {
        // 55, 56, 63, 64, 65 bytes: the padding edge cases; one-shot equals byte-by-byte.
        for n in [55, 56, 63, 64, 65, 119, 120, 128] {
            let bytes = (0..<n).map { UInt8($0 & 0xff) }
            var h = SHA256()
            for b in bytes { h.update([b]) }
            #expect(h.finalize() == SHA256.hash(bytes), "length \(n)")
        }
        #expect(SHA256.hex(String(repeating: "a", count: 64)) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
    }

    @Test func keysHavePrefixAndEntropyAndAreDistinct() {
        let a = Secrets.newAPIKey(), b = Secrets.newAPIKey()
        #expect(a.hasPrefix("cbk_"))
        #expect(a.count == 4 + 43)  // 256 bits in base64url
        #expect(a != b)
        #expect(Secrets.newSessionID().count == 43)
        #expect(Secrets.base64url([0xfb, 0xff]) == "-_8")
    }

    @Test func constantTimeEquals() {
        #expect(Secrets.constantTimeEquals("abc", "abc"))
        #expect(!Secrets.constantTimeEquals("abc", "abd"))
        #expect(!Secrets.constantTimeEquals("abc", "abcd"))
    }
}
