import Crypto
import Testing

@Suite("Hex")
struct HexTests {
    @Test func encodesLowercasePairs() {
        #expect(Hex.encode([UInt8]()) == "")
        #expect(Hex.encode([0x00, 0x01, 0x7f, 0x80, 0xab, 0xff]) == "00017f80abff")
        #expect(Hex.encode("hi".utf8) == "6869")
        // A sequence without contiguous storage.
        #expect(Hex.encode((0..<3).lazy.map { UInt8($0 * 16) }) == "001020")
    }

    @Test func roundTripsEveryByte() throws {
        let everyByte = (0...255).map { UInt8($0) }
        let text = Hex.encode(everyByte)
        #expect(text.count == 512)
        #expect(try Hex.decode(text) == everyByte)
        #expect(try Hex.decode(text.uppercased()) == everyByte)
    }

    @Test func refusesOddLengthsAndNonDigits() {
        #expect(throws: TextDecodingError.invalidLength(3)) { try Hex.decode("abc") }
        #expect(throws: TextDecodingError.invalidCharacter(offset: 1)) { try Hex.decode("0g") }
        #expect(throws: TextDecodingError.invalidCharacter(offset: 2)) { try Hex.decode("00 1") }
        #expect(throws: TextDecodingError.invalidCharacter(offset: 0)) { try Hex.decode("x0") }
    }

    @Test func digitValues() {
        for value in UInt8(0)...15 {
            #expect(Hex.value(ofDigit: Hex.digit(value)) == value)
        }
        #expect(Hex.digit(0x1a) == UInt8(ascii: "a"))   // the low four bits only
        for byte in UInt8(0)...255 {
            let isDigit = (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
            #expect((Hex.value(ofDigit: byte) != nil) == isDigit, "byte \(byte)")
        }
    }
}
