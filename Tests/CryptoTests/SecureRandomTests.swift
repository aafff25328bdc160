import Crypto
import Testing

@Suite("Secure random")
struct SecureRandomTests {
    @Test func lengthsAndDistinctDraws() {
        #expect(SecureRandom.bytes(0).isEmpty)
        #expect(SecureRandom.bytes(1).count == 1)
        #expect(SecureRandom.bytes(32).count == 32)
        // Two 256-bit draws are equal with probability 2^-256.
        #expect(SecureRandom.bytes(32) != SecureRandom.bytes(32))
        #expect(SecureRandom.uint64() != SecureRandom.uint64())  // probability 2^-64
    }

    /// A fill larger than one `getrandom` call's 256-byte guarantee reaches its end: no
    /// stretch of the buffer is left at its initial value.
    @Test func largeFillsReachTheEnd() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        buffer.withUnsafeMutableBytes { SecureRandom.fill($0) }
        for start in stride(from: 0, to: buffer.count, by: 64) {
            #expect(buffer[start..<start + 64].contains { $0 != 0 }, "bytes \(start)..<\(start + 64)")
        }
        // Expected about 16 zero bytes in 4096; a generator that lost bytes would show many more.
        #expect(buffer.filter { $0 == 0 }.count < 64)
    }
}
