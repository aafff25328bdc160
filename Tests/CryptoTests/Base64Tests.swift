import Crypto
import Foundation
import Testing

@Suite("Base64")
struct Base64Tests {
    /// RFC 4648 §10.
    @Test(arguments: [
        ("", "", ""), ("f", "Zg==", "Zg"), ("fo", "Zm8=", "Zm8"), ("foo", "Zm9v", "Zm9v"),
        ("foob", "Zm9vYg==", "Zm9vYg"), ("fooba", "Zm9vYmE=", "Zm9vYmE"), ("foobar", "Zm9vYmFy", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(plain: String, standard: String, url: String) throws {
        #expect(Base64.standard.encode(plain) == standard)
        #expect(Base64.url.encode(Array(plain.utf8)) == url)
        #expect(try Base64.standard.decode(standard) == Array(plain.utf8))
        #expect(try Base64.url.decode(url) == Array(plain.utf8))
    }

    @Test func alphabetsDifferInTheLastTwoDigits() throws {
        #expect(Base64.url.encode([0xfb, 0xff]) == "-_8")
        #expect(Base64.standard.encode([0xfb, 0xff]) == "+/8=")
        #expect(try Base64.url.decode("-_8") == [0xfb, 0xff])
        #expect(throws: TextDecodingError.invalidCharacter(offset: 0)) { try Base64.url.decode("+/8") }
        #expect(throws: TextDecodingError.invalidCharacter(offset: 0)) { try Base64.standard.decode("-_8=") }
    }

    /// Every length from 0 to 100 with varied bytes (all 256 values appear): both forms
    /// round-trip, and the standard form is Foundation's.
    @Test func roundTripsAgreeWithFoundation() throws {
        for length in 0...100 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ length &* 13) }
            let standard = Base64.standard.encode(bytes)
            #expect(standard == Data(bytes).base64EncodedString(), "length \(length)")
            #expect(try Base64.standard.decode(standard) == bytes, "length \(length)")
            let url = Base64.url.encode(bytes)
            #expect(!url.contains("="), "length \(length)")
            #expect(url.count == (length * 4 + 2) / 3, "length \(length)")
            #expect(try Base64.url.decode(url) == bytes, "length \(length)")
        }
        let everyByte = (0...255).map { UInt8($0) }
        #expect(try Base64.url.decode(Base64.url.encode(everyByte)) == everyByte)
    }

    @Test(arguments: [
        ("Z", TextDecodingError.invalidLength(1)),
        ("Zm9vY", .invalidLength(5)),
        ("Zg==", .invalidCharacter(offset: 2)),          // padding is not part of base64url
        ("Zm 9", .invalidCharacter(offset: 2)),
        ("Zm9v\n", .invalidLength(5)),
        ("Zm9\n", .invalidCharacter(offset: 3)),
        ("Zm.v", .invalidCharacter(offset: 2)),
        ("Zmé", .invalidCharacter(offset: 2)),
        ("Zh", .nonCanonical),                          // "f" is "Zg": the low bits of 'h' are not zero
        ("Zm9", .nonCanonical),                         // "fo" is "Zm8"
    ])
    func urlRefusals(text: String, error: TextDecodingError) {
        #expect(throws: error) { try Base64.url.decode(text) }
    }

    @Test(arguments: [
        ("Zg", TextDecodingError.invalidLength(2)),     // the standard form must be padded
        ("Zg=", .invalidLength(3)),
        ("Zm9vYmE", .invalidLength(7)),
        ("Zm9v=", .invalidLength(5)),
        ("Z===", .invalidCharacter(offset: 1)),
        ("====", .invalidCharacter(offset: 0)),
        ("Zm=v", .invalidCharacter(offset: 2)),
        ("Zg==Zg==", .invalidCharacter(offset: 2)),
        ("Zh==", .nonCanonical),
        ("Zm9=", .nonCanonical),
    ])
    func standardRefusals(text: String, error: TextDecodingError) {
        #expect(throws: error) { try Base64.standard.decode(text) }
    }
}
