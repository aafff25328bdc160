import Crypto
import Testing

@Suite("Constant-time compare")
struct ConstantTimeTests {
    @Test func equalInputs() {
        #expect(ConstantTime.equals("abc", "abc"))
        #expect(ConstantTime.equals("", ""))
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(ConstantTime.equals("naïve ✓", "naïve ✓"))
    }

    @Test func aDifferenceAtEveryPosition() {
        let secret = Array("0123456789abcdef".utf8)
        for position in secret.indices {
            var other = secret
            other[position] ^= 0x01
            #expect(!ConstantTime.equals(secret, other), "position \(position)")
            #expect(!ConstantTime.equals(String(decoding: secret, as: UTF8.self), String(decoding: other, as: UTF8.self)))
        }
    }

    @Test func differentLengths() {
        #expect(!ConstantTime.equals("abc", "abcd"))
        #expect(!ConstantTime.equals("abcd", "abc"))
        #expect(!ConstantTime.equals("", "a"))
        #expect(!ConstantTime.equals("a", ""))
        // A tail of zero bytes whose length is a multiple of 256 still differs.
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 3] + [UInt8](repeating: 0, count: 256)))
    }

    @Test func overBuffers() {
        let left: [UInt8] = [9, 8, 7, 6]
        let right: [UInt8] = [0, 9, 8, 7, 6]
        left.withUnsafeBytes { leftBytes in
            right.withUnsafeBytes { rightBytes in
                #expect(ConstantTime.equals(leftBytes, UnsafeRawBufferPointer(rebasing: rightBytes[1...])))
                #expect(!ConstantTime.equals(leftBytes, UnsafeRawBufferPointer(rebasing: rightBytes[..<4])))
            }
        }
    }
}
