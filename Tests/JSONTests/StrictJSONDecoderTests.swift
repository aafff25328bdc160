import Foundation
@testable import JSON
import Testing

private struct Upload: Codable, Equatable {
    var workspace: String
    var files: [String: String]
    var note: String?
}

private struct Item: Codable, Equatable { var name: String; var count: Int }
private struct Order: Codable, Equatable {
    var id: Int64
    var items: [Item]
    var tags: [String]
    var small: Int8?
    var ratio: Double?
    var flags: [Bool]?
}

private func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
    try StrictJSONDecoder().decode(type, from: Array(text.utf8))
}

private func foundation<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
    let d = JSONDecoder()
    d.dateDecodingStrategy = .iso8601
    return try d.decode(type, from: Data(bytes))
}

/// The message a client would get for decoding `text` as `T`, or nil when it decodes.
private func message<T: Decodable>(_ type: T.Type, _ text: String) -> String? {
    do {
        _ = try decode(type, text)
        return nil
    } catch {
        return StrictJSONDecoder.message(for: error)
    }
}

@Suite struct StrictJSONDecoderTests {
    @Test func decodesLikeFoundation() throws {
        let order = Order(id: .max, items: [Item(name: "a", count: 1), Item(name: "b\n\"", count: -2)], tags: ["x", ""], small: -8, ratio: 0.25, flags: [true, false])
        let bytes = try JSONWriter.encode(order)
        #expect(try StrictJSONDecoder().decode(Order.self, from: bytes) == order)
        #expect(try StrictJSONDecoder().decode(Order.self, from: bytes) == foundation(Order.self, bytes))
        let scalars = Scalars(i: .min, i8: .min, i16: .max, i32: .min, i64: .min, u: 7, u8: .max, u16: .max, u32: .max,
                              u64: UInt64(Int64.max), f: 3.25, d: 0.1 + 0.2, b: true, s: "é😀")
        #expect(try StrictJSONDecoder().decode(Scalars.self, from: JSONWriter.encode(scalars)) == scalars)
        let shapes: [Shape] = [.circle(radius: 1.5), .rect(w: 2, h: 3), .labeled("l", 4), .none]
        #expect(try StrictJSONDecoder().decode([Shape].self, from: JSONWriter.encode(shapes)) == shapes)
        let dog = try StrictJSONDecoder().decode(Dog.self, from: JSONWriter.encode(Dog(name: "Rex", breed: "collie")))
        #expect(dog.name == "Rex" && dog.breed == "collie")
        #expect(try decode([Int: String].self, #"{"1":"one","-2":"two"}"#) == [1: "one", -2: "two"])
        #expect(try decode([[Int]].self, "[[1],[],[2,3]]") == [[1], [], [2, 3]])
        #expect(try decode(Int.self, "1e2") == 100 && decode(Int.self, "3.0") == 3)
        #expect(try decode(Double.self, "7") == 7 && decode(Float.self, "0.5") == 0.5)
    }

    @Test func datesDataURLDecimal() throws {
        let v = Stamps(date: Date(timeIntervalSince1970: 1_795_460_400), data: Data([0, 1, 2, 250, 255]),
                       url: URL(string: "https://example.com/a?q=1")!, decimal: Decimal(string: "12.3456")!)
        let bytes = try JSONWriter.encode(v)
        #expect(try StrictJSONDecoder().decode(Stamps.self, from: bytes) == v)
        #expect(try decode(Date.self, #""2026-11-23T19:00:00.250Z""#) == Date(timeIntervalSince1970: 1_795_460_400.25))
        #expect(try decode(Date.self, #""2026-11-23T21:00:00+02:00""#) == v.date)
        #expect(message(Stamps.self, #"{"date":"yesterday","data":"","url":"x","decimal":1}"#)
            == "field 'date': Expected date string to be ISO8601-formatted.")
        #expect(message(Stamps.self, #"{"date":"2026-11-23T19:00:00Z","data":"!!","url":"x","decimal":1}"#)
            == "field 'data': Encountered Data is not valid Base64.")
    }

    @Test func optionalsAndMissingKeysAsFoundation() throws {
        let text = #"{"workspace":"w","files":{}}"#
        #expect(try decode(Upload.self, text) == Upload(workspace: "w", files: [:], note: nil))
        #expect(try decode(Upload.self, #"{"workspace":"w","files":{},"note":null}"#).note == nil)
        #expect(try decode(Upload.self, #"{"workspace":"w","files":{},"note":"n","extra":[1]}"#).note == "n")
        #expect(try decode([Int?].self, "[1,null,3]") == [1, nil, 3])
        #expect(try decode(Int?.self, "null") == nil)
        // A present optional of the wrong type is an error, as in Foundation.
        #expect(message(Upload.self, #"{"workspace":"w","files":{},"note":5}"#) == "field 'note': expected a string")
    }

    @Test func errorsNameTheFieldPath() {
        #expect(message(Upload.self, #"{"workspace":"w","files":{"a.py":1}}"#) == "field 'files.a.py': expected a string")
        #expect(message(Upload.self, #"{"files":{}}"#) == "missing field 'workspace'")
        #expect(message(Upload.self, #"{"workspace":null,"files":{}}"#) == "field 'workspace': expected a string, got null")
        #expect(message(Upload.self, #"{"workspace":"w","files":[]}"#) == "field 'files': expected an object")
        #expect(message(Order.self, #"{"id":1,"items":[],"tags":["a",2]}"#) == "field 'tags[1]': expected a string")
        #expect(message(Order.self, #"{"id":1,"items":[{"name":"a","count":1},{"name":"b"}],"tags":[]}"#) == "missing field 'items[1].count'")
        #expect(message(Order.self, #"{"id":1,"items":[{"name":"a","count":"x"}],"tags":[]}"#) == "field 'items[0].count': expected an integer")
        #expect(message(Order.self, #"{"id":1,"items":{},"tags":[]}"#) == "field 'items': expected an array")
        #expect(message(Order.self, #"{"id":1,"items":[],"tags":[],"small":300}"#) == "field 'small': Number 300 does not fit in Int8.")
        #expect(message(Order.self, #"{"id":1.5,"items":[],"tags":[]}"#) == "field 'id': Number 1.5 does not fit in Int64.")
        #expect(message(Order.self, #"{"id":1,"items":[],"tags":[],"flags":[true,1]}"#) == "field 'flags[1]': expected a boolean")
        #expect(message(Order.self, #"{"id":1,"items":[],"tags":[],"ratio":"x"}"#) == "field 'ratio': expected a number")
        #expect(message(Order.self, "[1]") == "field 'body': expected an object")
        #expect(message(Order.self, #"{"id":1,"items":[],"tags":[],}"#) == "body is not valid JSON: trailing comma at byte 29")
        #expect(message(Order.self, "") == "body is not valid JSON: unexpected end of document at byte 0")
    }

    @Test func foundationErrorsGetTheSameMessages() {
        do {
            _ = try foundation(Upload.self, Array(#"{"workspace":"w","files":{"a.py":1}}"#.utf8))
            Issue.record("expected a failure")
        } catch {
            #expect(StrictJSONDecoder.message(for: error) == "field 'files.a.py': expected a string")
        }
    }

    @Test func theParsersLimitsApply() throws {
        let strict = StrictJSONDecoder(parserOptions: JSONParserOptions(maxDepth: 2, maxStringBytes: 4))
        #expect(try strict.decode([[Int]].self, from: Array("[[1]]".utf8)) == [[1]])
        #expect(throws: JSONParseError(.tooDeep(limit: 2), at: 2)) { try strict.decode([[[Int]]].self, from: Array("[[[1]]]".utf8)) }
        #expect(throws: JSONParseError(.stringTooLong(limit: 4), at: 1)) { try strict.decode([String].self, from: Array(#"["abcde"]"#.utf8)) }
        #expect(throws: JSONParseError(.duplicateKey("a"), at: 7)) { try StrictJSONDecoder().decode([String: Int].self, from: Array(#"{"a":1,"a":2}"#.utf8)) }
    }

    @Test func largeObjectsDecodeEveryKey() throws {
        let files = Dictionary(uniqueKeysWithValues: (0..<5000).map { ("dir/file\($0).py", String(repeating: "x", count: $0 % 7)) })
        let bytes = try JSONWriter.encode(Upload(workspace: "w", files: files, note: nil))
        #expect(try StrictJSONDecoder().decode(Upload.self, from: bytes).files == files)
    }

    @Test func integersBeyondInt64AreDoubles() throws {
        // A UInt64 above Int64.max is held as the nearest Double: exactly representable ones decode.
        #expect(try decode(UInt64.self, "9223372036854775808") == 9_223_372_036_854_775_808)
        #expect(message(UInt64.self, "18446744073709551615") != nil)
        #expect(try decode(Double.self, "18446744073709551615") == 18_446_744_073_709_551_616)
    }
}
