import Crypto
import Testing

@Suite("FNV-1a 64")
struct FNV1a64Tests {
    /// The reference implementation's test vectors (fnvhash test suite, 64-bit FNV-1a).
    @Test(arguments: [
        ("", UInt64(0xcbf2_9ce4_8422_2325)),
        ("a", 0xaf63_dc4c_8601_ec8c),
        ("foobar", 0x8594_4171_f739_67e8),
    ])
    func knownVectors(text: String, hash: UInt64) {
        #expect(FNV1a64.hash(text) == hash)
        #expect(FNV1a64.hash(Array(text.utf8)) == hash)
    }

    @Test func streamingEqualsOneShotInEverySplit() {
        let text = "/srv/corpus/ünïcode path"
        let bytes = Array(text.utf8)
        for split in 0...bytes.count {
            var hasher = FNV1a64()
            hasher.update(bytes[..<split])
            hasher.update(bytes[split...])
            #expect(hasher.value == FNV1a64.hash(text), "split at \(split)")
        }
    }

    @Test func onlyTheBytesMatter() {
        // Two strings equal as Swift strings but with different UTF-8 (NFC vs NFD) differ.
        #expect("é" == "e\u{301}")
        #expect(FNV1a64.hash("é") != FNV1a64.hash("e\u{301}"))
        #expect(FNV1a64().value == FNV1a64.offsetBasis)
    }
}
