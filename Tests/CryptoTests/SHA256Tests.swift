import Crypto
import Testing

@Suite("SHA-256")
struct SHA256Tests {
    /// FIPS 180-4 examples (NIST CSRC "Example Algorithms") plus two common strings.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
        ("The quick brown fox jumps over the lazy dog", "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"),
        (String(repeating: "a", count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
    ])
    func knownVectors(input: String, digest: String) {
        #expect(SHA256.hex(input) == digest)
        #expect(SHA256.digest(input).hex == digest)
        #expect(Hex.encode(SHA256.hash(Array(input.utf8))) == digest)
        // A sequence without contiguous storage takes the byte-at-a-time path.
        #expect(SHA256.digest(input.utf8.lazy.map { $0 }).hex == digest)
        var streamed = SHA256()
        streamed.update(input)
        #expect(streamed.finalize().hex == digest)
    }

    @Test func millionAs() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        var hasher = SHA256()
        let chunk = [UInt8](repeating: 0x61, count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(hasher.finalize().hex == expected)
    }

    /// A 130-byte message (two blocks and a bit) fed in every split into three pieces
    /// gives the one-shot digest: covers a block filled across calls, a block compressed
    /// straight from the caller's buffer, and both padding cases.
    @Test func everySplitOfAShortMessage() async {
        let message = (0..<130).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let expected = SHA256.digest(message)
        var wrongSplits: [[Int]] = []
        for first in 0...message.count {
            await Task.yield()  // CPU-bound: give the pool's other jobs a turn
            for second in first...message.count {
                var hasher = SHA256()
                hasher.update(message[0..<first])
                hasher.update(message[first..<second])
                hasher.update(message[second...])
                if hasher.finalize() != expected { wrongSplits.append([first, second]) }
            }
        }
        #expect(wrongSplits.isEmpty)
    }

    @Test func paddingBoundariesMatchByteAtATime() {
        for length in [55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129] {
            let bytes = (0..<length).map { UInt8($0 & 0xff) }
            var hasher = SHA256()
            for byte in bytes { hasher.update([byte]) }
            let streamed = hasher.finalize()
            #expect(streamed == SHA256.digest(bytes), "length \(length)")
            #expect(streamed == bytes.withUnsafeBytes { SHA256.digest($0) }, "length \(length)")
        }
    }

    @Test func finalizeStartsOver() {
        var hasher = SHA256()
        hasher.update("some earlier message")
        _ = hasher.finalize()
        hasher.update("abc")
        #expect(hasher.finalize().hex == SHA256.hex("abc"))
    }

    @Test func digestBytesAndHashing() throws {
        let digest = SHA256.digest("abc")
        #expect(digest.bytes.count == SHA256.digestSize)
        #expect(digest.bytes == (try Hex.decode(digest.hex)))
        #expect(Set([digest, SHA256.digest("abc"), SHA256.digest("abd")]).count == 2)
    }
}

