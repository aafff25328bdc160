import AuthGateway
import Testing

@Suite("Secrets")
struct SecretsTests {
    @Test func keysHavePrefixAndEntropyAndAreDistinct() {
        let first = Secrets.newAPIKey(), second = Secrets.newAPIKey()
        #expect(first.hasPrefix("cbk_"))
        #expect(first.count == 4 + 43)  // 256 bits in base64url
        #expect(first != second)
        #expect(Secrets.isPlausible(first))
        let session = Secrets.newSessionID()
        #expect(session.count == 43)
        #expect(Secrets.isPlausible(session))
    }

    /// The stored form of a key is what it has always been (hashes already in databases
    /// must still verify): SHA-256 of the key's UTF-8 as lowercase hex, here checked against
    /// Python's hashlib for the key whose 32 random bytes are 0, 1, …, 31.
    @Test func storedDigestIsUnchanged() {
        let key = "cbk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
        #expect(Secrets.digest(key) == "7ad6387ab9caaeb2ed692ab45aeb3a8f3b55f96c7aea39787ae29b6a3fddda32")
        #expect(Secrets.digestValue(key).hex == Secrets.digest(key))
    }

    @Test func plausibility() {
        #expect(!Secrets.isPlausible(""))
        #expect(!Secrets.isPlausible("cbk_abc def"))
        #expect(!Secrets.isPlausible(String(repeating: "a", count: 129)))
        #expect(Secrets.isPlausible("Az09-_"))
    }
}
