import Foundation
import JSON
import Testing

private func parse(_ text: String, _ options: JSONParserOptions = JSONParserOptions()) throws(JSONParseError) -> JSONValue {
    try JSONParser(options: options).parse(Array(text.utf8))
}

private func error(_ bytes: [UInt8], _ options: JSONParserOptions = JSONParserOptions()) -> JSONParseError? {
    do {
        _ = try JSONParser(options: options).parse(bytes)
        return nil
    } catch {
        return error
    }
}

private func error(_ text: String, _ options: JSONParserOptions = JSONParserOptions()) -> JSONParseError? {
    error(Array(text.utf8), options)
}

@Suite struct JSONParserTests {
    @Test func parsesValues() throws {
        #expect(try parse(#" {"a": [1, -2.5, 3e2, true, false, null, "x"], "b": {}} "#)
            == .object(["a": .array([.int(1), .double(-2.5), .double(300), .bool(true), .bool(false), .null, .string("x")]), "b": .object([:])]))
        #expect(try parse(#""a\"b\\c\/\n\u00e9\ud83d\ude00""#) == .string("a\"b\\c/\né😀"))
        #expect(try parse("[]") == .array([]))
        #expect(try parse("\t\r\n 7 \n") == .int(7))
    }

    /// Documents RFC 8259 accepts, with the value each gives (JSONTestSuite's `y_` cases, by kind).
    @Test(arguments: [
        ("0", JSONValue.int(0)),
        ("-0", .double(-0.0)),
        ("-1", .int(-1)),
        ("1E2", .double(100)),
        ("1e-2", .double(0.01)),
        ("1.5e+3", .double(1500)),
        ("0.000001", .double(0.000001)),
        ("9223372036854775807", .int(.max)),
        ("-9223372036854775808", .int(.min)),
        ("9223372036854775808", .double(9223372036854775808)),
        ("123456789012345678901234567890", .double(1.2345678901234568e29)),
        ("1.7976931348623157e308", .double(.greatestFiniteMagnitude)),
        ("5e-324", .double(.leastNonzeroMagnitude)),
        ("1e-400", .double(0)),
        (#""""#, .string("")),
        (#""\u0000""#, .string("\u{0}")),
        (#""\uD834\uDD1E""#, .string("𝄞")),
        (#""\ud83d\ude00x""#, .string("😀x")),
        (#""\b\f\n\r\t\"\\\/""#, .string("\u{8}\u{C}\n\r\t\"\\/")),
        (#""\u00E9é""#, .string("éé")),
        (#""\uFFFF""#, .string("\u{FFFF}")),
        (#""\u2028\u2029""#, .string("\u{2028}\u{2029}")),
        ("\"\u{7F}\"", .string("\u{7F}")),
        ("\"日本語 👩‍👩‍👧\"", .string("日本語 👩‍👩‍👧")),
        (#"[[],{},[{}]]"#, .array([.array([]), .object([:]), .array([.object([:])])])),
        (#"{"":0}"#, .object(["": .int(0)])),
        (#"{"a":{"a":1}}"#, .object(["a": .object(["a": .int(1)])])),
        ("null", .null),
        ("true", .bool(true)),
    ])
    func accepts(_ text: String, _ expected: JSONValue) throws {
        let v = try parse(text)
        #expect(v == expected, "\(text)")
        if case .double(let d) = expected, d == 0 { #expect(v.number?.sign == d.sign, "\(text)") }
    }

    /// Documents RFC 8259 refuses (JSONTestSuite's `n_` cases, by kind), with the reason and offset.
    @Test(arguments: [
        ("", JSONParseError.Reason.unexpectedEnd, 0),
        ("   ", .unexpectedEnd, 3),
        ("[1,]", .trailingComma, 3),
        (#"{"a":1,}"#, .trailingComma, 7),
        ("[,1]", .unexpectedByte(0x2C), 1),
        ("[1 2]", .unexpectedByte(0x32), 3),
        (#"{"a" 1}"#, .unexpectedByte(0x31), 5),
        ("{a:1}", .unexpectedByte(0x61), 1),
        ("{'a':1}", .unexpectedByte(0x27), 1),
        (#"{"a":}"#, .unexpectedByte(0x7D), 5),
        ("01", .invalidNumber, 0),
        ("-01", .invalidNumber, 0),
        ("1.", .invalidNumber, 0),
        (".5", .unexpectedByte(0x2E), 0),
        ("-", .unexpectedEnd, 1),
        ("+1", .unexpectedByte(0x2B), 0),
        ("1e", .invalidNumber, 0),
        ("1e+", .invalidNumber, 0),
        ("0x10", .trailingData, 1),
        ("NaN", .invalidNumber, 0),
        ("Infinity", .invalidNumber, 0),
        ("-Infinity", .invalidNumber, 0),
        ("1e400", .invalidNumber, 0),
        ("tru", .unexpectedEnd, 3),
        ("nul1", .unexpectedByte(0x31), 3),
        ("True", .unexpectedByte(0x54), 0),
        ("\"\u{01}\"", .controlCharacterInString, 1),
        ("\"a\nb\"", .controlCharacterInString, 2),
        (#""\ud800""#, .loneSurrogate, 1),
        (#""\udc00""#, .loneSurrogate, 1),
        (#""\ud800\u0041""#, .loneSurrogate, 1),
        (#"["x\ud800"]"#, .loneSurrogate, 3),
        (#""\x41""#, .invalidEscape, 1),
        (#""\u12G4""#, .invalidEscape, 1),
        (#""\'""#, .invalidEscape, 1),
        (#""abc"#, .unexpectedEnd, 4),
        ("[1] x", .trailingData, 4),
        ("[1]]", .trailingData, 3),
        ("{} {}", .trailingData, 3),
        ("[1", .unexpectedEnd, 2),
        (#"{"a":1"#, .unexpectedEnd, 6),
        ("/* c */ 1", .unexpectedByte(0x2F), 0),
        (#"{"a":1,"a":2}"#, .duplicateKey("a"), 7),
    ])
    func refuses(_ text: String, _ reason: JSONParseError.Reason, _ offset: Int) {
        #expect(error(text) == JSONParseError(reason, at: offset), "\(text)")
    }

    @Test func refusesInvalidUTF8() {
        // Overlong, surrogate (CESU), truncated, stray continuation, beyond U+10FFFF.
        let cases: [[UInt8]] = [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF]]
        for bad in cases {
            let doc: [UInt8] = Array(#"["ok","ab"#.utf8) + bad + Array(#"c"]"#.utf8)
            #expect(error(doc) == JSONParseError(.invalidUTF8, at: 9), "\(bad)")
            let escaped: [UInt8] = Array(#""\n"#.utf8) + bad + Array(#"""#.utf8)
            #expect(error(escaped)?.reason == .invalidUTF8, "\(bad) after an escape")
        }
        // Outside a string, a non-ASCII byte is simply not JSON.
        #expect(error([0xC3, 0xA9]) == JSONParseError(.unexpectedByte(0xC3), at: 0))
    }

    @Test func byteOrderMarkPolicy() throws {
        let doc: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("[1]".utf8)
        #expect(error(doc) == JSONParseError(.byteOrderMark, at: 0))
        #expect(try JSONParser(options: JSONParserOptions(allowsByteOrderMark: true)).parse(doc) == .array([.int(1)]))
        // Only at the start.
        #expect(error(Array("[".utf8) + [0xEF, 0xBB, 0xBF] + Array("1]".utf8), JSONParserOptions(allowsByteOrderMark: true))
            == JSONParseError(.unexpectedByte(0xEF), at: 1))
    }

    @Test func depthAtAndOverTheLimit() throws {
        func nested(_ n: Int) -> String { String(repeating: "[", count: n) + String(repeating: "]", count: n) }
        func nestedObjects(_ n: Int) -> String { String(repeating: #"{"k":"#, count: n) + "1" + String(repeating: "}", count: n) }
        #expect(throws: Never.self) { try parse(nested(128)) }
        #expect(error(nested(129)) == JSONParseError(.tooDeep(limit: 128), at: 128))
        #expect(throws: Never.self) { try parse(nestedObjects(128)) }
        #expect(error(nestedObjects(129))?.reason == .tooDeep(limit: 128))
        let five = JSONParserOptions(maxDepth: 5)
        #expect(throws: Never.self) { try parse(nested(5), five) }
        #expect(error(nested(6), five) == JSONParseError(.tooDeep(limit: 5), at: 5))
        // Far past the limit: refused, no stack overflow.
        #expect(error(nested(100_000))?.reason == .tooDeep(limit: 128))
        // Depth is nesting, not count: many siblings at depth 1 are fine.
        #expect(throws: Never.self) { try parse("[" + Array(repeating: "[]", count: 10_000).joined(separator: ",") + "]", five) }
    }

    @Test func byteAndStringLimits() throws {
        let doc = #"{"name":"abcdef"}"#
        #expect(throws: Never.self) { try parse(doc, JSONParserOptions(maxBytes: doc.utf8.count)) }
        #expect(error(doc, JSONParserOptions(maxBytes: doc.utf8.count - 1)) == JSONParseError(.tooLarge(limit: doc.utf8.count - 1), at: doc.utf8.count - 1))
        #expect(throws: Never.self) { try parse(doc, JSONParserOptions(maxStringBytes: 6)) }
        #expect(error(doc, JSONParserOptions(maxStringBytes: 5)) == JSONParseError(.stringTooLong(limit: 5), at: 8))
        // Keys count, and the limit is on the decoded bytes (an escape is one byte).
        #expect(error(#"{"abcdef":1}"#, JSONParserOptions(maxStringBytes: 5)) == JSONParseError(.stringTooLong(limit: 5), at: 1))
        #expect(throws: Never.self) { try parse(#""\n\n\n\n\n""#, JSONParserOptions(maxStringBytes: 5)) }
        #expect(error(#""\n\n\n\n\n\n""#, JSONParserOptions(maxStringBytes: 5))?.reason == .stringTooLong(limit: 5))
    }

    @Test func duplicateKeyPolicy() throws {
        #expect(error(#"{"a":1,"b":2,"a":3}"#) == JSONParseError(.duplicateKey("a"), at: 13))
        let last = JSONParserOptions(duplicateKeys: .keepLast)
        let v = try parse(#"{"a":1,"b":2,"a":3}"#, last)
        #expect(v.object?.keys == ["a", "b"])
        #expect(v.object?["a"] == .int(3))
        // Large objects switch to a set: still found.
        let many = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect(error("{" + many + #","k3":0}"#)?.reason == .duplicateKey("k3"))
        #expect(try parse("{" + many + #","k3":0}"#, last).object?["k3"] == .int(0))
        // The same key in different objects is not a duplicate; keys differing by escape spelling are.
        #expect(throws: Never.self) { try parse(#"[{"a":1},{"a":2}]"#) }
        #expect(error(#"{"é":1,"\u00e9":2}"#)?.reason == .duplicateKey("é"))
    }

    @Test func objectsKeepTheirOrder() throws {
        let v = try parse(#"{"zulu":1,"alpha":2,"mike":{"y":1,"b":2}}"#)
        #expect(v.object?.keys == ["zulu", "alpha", "mike"])
        #expect(v.object?["mike"]?.object?.keys == ["y", "b"])
        #expect(v.serializedText == #"{"zulu":1,"alpha":2,"mike":{"y":1,"b":2}}"#)
    }

    @Test func errorsSayWhatAndWhere() {
        #expect(error("[1,]")?.description == "trailing comma at byte 3")
        #expect(error(#"{"a":01}"#)?.description == "invalid number at byte 5")
        #expect(error("\"\u{01}\"")?.description == "unescaped control character in string at byte 1")
        #expect(error([0x22, 0xFF, 0x22])?.description == "invalid UTF-8 at byte 1")
    }

    /// Whatever Foundation's parser also accepts as a strict document, the values agree.
    @Test func agreesWithFoundationOnAccepted() throws {
        let docs = [#"{"a":[1,2.5,"x",null,true,{"b":-3}],"c":"\u00e9\ud83d\ude00"}"#, "[1e2,0.1,-0,123456789012]", #""\/\t""#]
        for d in docs {
            let ours = try parse(d)
            let theirs = try JSONSerialization.jsonObject(with: Data(d.utf8), options: .fragmentsAllowed) as! NSObject
            let back = try JSONSerialization.jsonObject(with: Data(ours.serialized), options: .fragmentsAllowed) as! NSObject
            #expect(back.isEqual(theirs), "\(d)")
        }
    }
}
