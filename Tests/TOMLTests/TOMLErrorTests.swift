import Testing
import TOML

/// Errors name the line and column (in characters) where the parser found out, and say
/// what is wrong.
@Suite struct TOMLErrorTests {
    /// Parses `text`, which must fail; its error.
    private func failure(_ text: String) -> TOMLError? {
        do {
            _ = try TOMLParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("a = 1\nb = \n", 2, 5, "expected a value"),
        ("[a]\nx = 1\n[a]\n", 3, 2, "the table [a] is defined twice"),
        ("name = \"x\"\nname = \"y\"\n", 2, 1, "duplicate key name"),
        ("s = \"é\u{7}\"", 1, 7, "control character U+0007"),
        ("x = \"abc\ny = 1\n", 1, 9, "cannot contain a newline"),
        ("x = 1979-02-30\n", 1, 5, "day 30 does not exist"),
        ("x = 0777\n", 1, 5, "leading zeros"),
        ("x = 9223372036854775808\n", 1, 5, "out of the 64-bit integer range"),
        ("x = 1 y = 2\n", 1, 7, "expected a newline after the value, found 'y'"),
        ("a.b = 1\n[a]\n", 2, 2, "already defined with dotted keys"),
        ("t = { a = 1, }\n", 1, 14, "cannot end with a comma"),
        ("x = \"\\q\"\n", 1, 6, "invalid escape \\q"),
        ("[[a]]\n[a]\n", 2, 2, "is an array of tables"),
        ("x = [1, 2\n", 2, 1, "unterminated array (opened at line 1, column 5)"),
        ("x = 07:32\n", 1, 10, "requires seconds"),
        ("\u{FEFF}a = \n", 1, 5, "expected a value"),
        ("a = 1\r\nb = 2\rc = 3\n", 2, 6, "carriage return must be followed by a line feed"),
    ])
    func errorNamesLineColumnAndReason(text: String, line: Int, column: Int, message: String) throws {
        let error = try #require(failure(text), "accepted: \(text)")
        #expect(error.line == line, "\(error)")
        #expect(error.column == column, "\(error)")
        #expect(error.message.contains(message), "\(error)")
        #expect(error.description == "line \(line), column \(column): \(error.message)")
    }

    @Test func bytesThatAreNotUTF8AreRefusedWhereTheyStand() throws {
        let bytes: [UInt8] = Array("a = 1\nb = \"".utf8) + [0xC3, 0x28] + Array("\"\n".utf8)
        #expect(throws: TOMLError(line: 2, column: 6, message: "the document is not valid UTF-8 (byte 0xC3)")) {
            try TOMLParser.parse(bytes)
        }
        let surrogate: [UInt8] = Array("a = \"".utf8) + [0xED, 0xA0, 0x80] + Array("\"".utf8)
        #expect(throws: TOMLError.self) { try TOMLParser.parse(surrogate) }
        let overlong: [UInt8] = Array("a = \"".utf8) + [0xC0, 0xAF] + Array("\"".utf8)
        #expect(throws: TOMLError.self) { try TOMLParser.parse(overlong) }
    }

    @Test func aLoneSurrogateEscapeIsRefused() {
        #expect(throws: TOMLError.self) { try TOMLParser.parse("x = \"\\uD800\"") }
        #expect(throws: TOMLError.self) { try TOMLParser.parse("x = \"\\U00110000\"") }
    }
}
