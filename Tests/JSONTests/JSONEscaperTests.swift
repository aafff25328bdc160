import Foundation
@testable import JSON
import Testing

private func foundationString(_ bytes: [UInt8]) throws -> String? {
    try JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed) as? String
}

@Suite struct JSONEscaperTests {
    /// Every Unicode scalar, by class, escaped and read back by Foundation.
    @Test(arguments: [
        ("C0 controls", 0x00...0x1F),
        ("printable ASCII with quote, backslash, slash", 0x20...0x7E),
        ("DEL and C1 controls", 0x7F...0x9F),
        ("Latin-1 and two-byte UTF-8", 0xA0...0x7FF),
        ("three-byte UTF-8 below the surrogates", 0x800...0xD7FF),
        ("three-byte UTF-8 above the surrogates (BOM, U+FFFE, U+FFFF)", 0xE000...0xFFFF),
        ("four-byte UTF-8, every plane", 0x10000...0x10FFFF),
    ] as [(String, ClosedRange<UInt32>)])
    func foundationReadsEveryScalarBack(_ name: String, _ range: ClosedRange<UInt32>) throws {
        var s = String.UnicodeScalarView()
        for v in range { s.append(Unicode.Scalar(v)!) }
        let text = String(s)
        var out: [UInt8] = []
        JSONEscaper.appendQuoted(text, to: &out)
        #expect(try foundationString(out) == text, "\(name)")
        #expect(try JSONParser().parse(out) == .string(text), "\(name)")
        // No raw control byte is ever left in the output.
        #expect(!out.contains { $0 < 0x20 }, "\(name)")
    }

    @Test func exactSpellings() {
        #expect(JSONEscaper.quoted("\"\\/\n\r\t\u{8}\u{C}\u{0}\u{1F}\u{7F}é") == #""\"\\/\n\r\t\b\f\u0000\u001f"# + "\u{7F}é\"")
        for c in UInt8(0)..<0x20 where ![0x08, 0x09, 0x0A, 0x0C, 0x0D].contains(c) {
            let hex = String(c, radix: 16)
            #expect(JSONEscaper.quoted(String(Unicode.Scalar(c))) == "\"\\u00" + (hex.count == 1 ? "0" : "") + hex + "\"")
        }
        #expect(JSONEscaper.quoted("") == #""""#)
    }

    /// The writer, the builder and Foundation agree byte for byte (Foundation without escaping slashes).
    @Test func everyWriterSpellsStringsTheSame() throws {
        var s = ""
        for c in 0..<0x20 { s.unicodeScalars.append(Unicode.Scalar(UInt8(c))) }
        s += "\"\\/ \u{7F} é 中 😀 \u{2028}"
        var builder = JSONBuilder()
        builder.string(s)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let foundation = Array(try encoder.encode(s))
        #expect(builder.bytes == foundation)
        #expect(try JSONWriter.encode(s) == foundation)
        #expect(JSONEscaper.quoted(s) == String(decoding: foundation, as: UTF8.self))
    }
}
