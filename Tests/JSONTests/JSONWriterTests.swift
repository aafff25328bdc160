import Foundation
@testable import JSON
import Testing

// MARK: - Fixtures

private struct Wide: Codable, Equatable { var a: Int128; var b: UInt128; var c: [Int128] }

private struct Optionals: Codable, Equatable {
    var a: Int?
    var b: String?
    var c: [Int]?
}

private struct ExplicitNull: Encodable {
    enum CodingKeys: String, CodingKey { case a, b }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeNil(forKey: .a)
        try c.encode(1, forKey: .b)
    }
}

private struct Inner: Codable, Equatable { var name: String; var values: [Double] }
private struct Outer: Codable, Equatable {
    var id: Int
    var inner: Inner
    var inners: [Inner]
    var grid: [[Int]]
    var words: [[String]]
    var byName: [String: Inner]
    var byNumber: [Int: String]
    var nested: [String: [Int]]
}

/// Inherits by sharing the encoder (both levels write into one object).
private final class Cat: Animal {
    var lives: Int
    init(name: String, lives: Int) { self.lives = lives; super.init(name: name) }
    enum CodingKeys: String, CodingKey { case lives }
    required init(from decoder: Decoder) throws {
        lives = try decoder.container(keyedBy: CodingKeys.self).decode(Int.self, forKey: .lives)
        try super.init(from: decoder)
    }
    override func encode(to encoder: Encoder) throws {
        try super.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lives, forKey: .lives)
    }
}

/// superEncoder(forKey:) and a super encoder that is never used (Foundation writes `{}`).
private struct SuperKeys: Encodable {
    enum CodingKeys: String, CodingKey { case base, unused, after }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        var s = c.superEncoder(forKey: .base).unkeyedContainer()
        try s.encode(1)
        try s.encode("two")
        _ = c.superEncoder(forKey: .unused)
        try c.encode(true, forKey: .after)
    }
}

private struct Nothing: Codable, Equatable {
    init() {}
    init(from decoder: Decoder) throws {}
    func encode(to encoder: Encoder) throws {}
}

private struct HoldsNothing: Codable, Equatable { var a: Nothing; var b: [Nothing]; var c: Int }

private struct Ordered: Codable, Equatable { var zulu: Int; var alpha: String; var mike: Bool }

private struct SingleArray: Encodable {
    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode([1, 2, 3])
    }
}

private struct Floats: Encodable { var values: [Double] }
private struct OneFloat: Encodable { var x: Float }

/// Requests two nested containers and fills the first after the second (legal Codable).
private struct Interleaved: Encodable {
    enum K: String, CodingKey { case a, b, c }
    func encode(to encoder: Encoder) throws {
        var root = encoder.container(keyedBy: K.self)
        var a = root.nestedContainer(keyedBy: K.self, forKey: .a)
        var b = root.nestedUnkeyedContainer(forKey: .b)
        try b.encode(1)
        try a.encode("late", forKey: .c)
        try root.encode(3, forKey: .c)
        try b.encode(2)
    }
}

/// Swallows an error from a member's encoding (legal, if unusual): no partial value may leak out.
private struct Swallows: Encodable {
    enum K: String, CodingKey { case bad, good }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: K.self)
        try? c.encode(Floats(values: [1, .nan]), forKey: .bad)
        try c.encode(1, forKey: .good)
    }
}

// MARK: - Helpers

private func foundation<T: Encodable>(_ v: T) throws -> [UInt8] {
    try JSONWriter.foundationEncode(v)
}

private func decode<T: Decodable>(_ t: T.Type, _ bytes: [UInt8]) throws -> T {
    let d = JSONDecoder()
    d.dateDecodingStrategy = .iso8601
    return try d.decode(t, from: Data(bytes))
}

/// Round trip: our output decodes (with Foundation) to the original and to what Foundation's output decodes to.
private func roundTrips<T: Codable & Equatable>(_ v: T) throws -> Bool {
    let ours = try JSONWriter.encode(v)
    let theirs = try foundation(v)
    return try decode(T.self, ours) == v && decode(T.self, ours) == decode(T.self, theirs)
}

/// Same JSON value (objects compared unordered).
private func sameJSON(_ a: [UInt8], _ b: [UInt8]) throws -> Bool {
    let x = try JSONSerialization.jsonObject(with: Data(a), options: .fragmentsAllowed) as! NSObject
    let y = try JSONSerialization.jsonObject(with: Data(b), options: .fragmentsAllowed) as! NSObject
    return x.isEqual(y)
}

private func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }

// MARK: - Tests

@Suite struct JSONWriterTests {
    @Test func everyScalarTypeAndWidth() throws {
        let mins = Scalars(i: .min, i8: .min, i16: .min, i32: .min, i64: .min, u: .min, u8: .min, u16: .min, u32: .min, u64: .min,
                           f: -.greatestFiniteMagnitude, d: -.greatestFiniteMagnitude, b: false, s: "")
        let maxs = Scalars(i: .max, i8: .max, i16: .max, i32: .max, i64: .max, u: .max, u8: .max, u16: .max, u32: .max, u64: .max,
                           f: .leastNonzeroMagnitude, d: .leastNonzeroMagnitude, b: true, s: "x")
        let mid = Scalars(i: -42, i8: -8, i16: 1600, i32: -32, i64: 1 << 40, u: 7, u8: 200, u16: 9, u32: 10, u64: 12_345_678_901,
                          f: 3.25, d: 0.1 + 0.2, b: true, s: "mid")
        for v in [mins, maxs, mid] { #expect(try roundTrips(v)) }
        #expect(text(try JSONWriter.encode([Int64.min, 0, 9, 10, Int64.max])) == "[-9223372036854775808,0,9,10,9223372036854775807]")
        #expect(text(try JSONWriter.encode([UInt64.max])) == "[18446744073709551615]")
        let wide = Wide(a: Int128(Int64.min) * 4, b: UInt128(UInt64.max) * 3, c: [.min, .max])
        #expect(text(try JSONWriter.encode(wide)) == #"{"a":-36893488147419103232,"b":55340232221128654845,"c":[-170141183460469231731687303715884105728,170141183460469231731687303715884105727]}"#)
        #expect(try roundTrips(wide))
        #expect(try JSONWriter.encode(Int128.max) == foundation(Int128.max))
    }

    @Test func topLevelScalars() throws {
        #expect(text(try JSONWriter.encode(42)) == "42")
        #expect(text(try JSONWriter.encode("hi")) == "\"hi\"")
        #expect(text(try JSONWriter.encode(false)) == "false")
        #expect(text(try JSONWriter.encode(Int?.none)) == "null")
        #expect(text(try JSONWriter.encode(1.5)) == "1.5")
        #expect(try JSONWriter.encode(UInt8(255)) == foundation(UInt8(255)))
        #expect(try JSONWriter.encode(Float(0.1)) == foundation(Float(0.1)))
    }

    @Test func optionalsPresentAbsentAndExplicitNull() throws {
        #expect(text(try JSONWriter.encode(Optionals(a: nil, b: nil, c: nil))) == "{}")
        #expect(text(try JSONWriter.encode(Optionals(a: 1, b: nil, c: [2]))) == #"{"a":1,"c":[2]}"#)
        #expect(try roundTrips(Optionals(a: 0, b: "", c: [])))
        #expect(text(try JSONWriter.encode(ExplicitNull())) == #"{"a":null,"b":1}"#)
        #expect(text(try JSONWriter.encode([1, nil, 3] as [Int?])) == "[1,null,3]")
    }

    @Test func nestedStructsArraysAndDictionaries() throws {
        let inner = Inner(name: "in", values: [1, 2.5, -3e-7])
        let v = Outer(id: 7, inner: inner, inners: [inner, Inner(name: "", values: [])],
                      grid: [[1, 2], [], [3]], words: [["a"], ["b", "c"], []],
                      byName: ["x": inner, "y": Inner(name: "y", values: [0])],
                      byNumber: [1: "one", -2: "minus two", 300: "many"],
                      nested: ["k": [1, 2], "empty": []])
        #expect(try roundTrips(v))
        #expect(try sameJSON(JSONWriter.encode(v), foundation(v)))
        // Int keys become strings, like Foundation.
        #expect(text(try JSONWriter.encode([5: true])) == #"{"5":true}"#)
        #expect(try JSONWriter.encode([5: true]) == foundation([5: true]))
    }

    @Test func enumsWithAssociatedValues() throws {
        let shapes: [Shape] = [.circle(radius: 1.5), .rect(w: 2, h: 3), .labeled("l", 4), .none]
        #expect(try roundTrips(shapes))
        #expect(try sameJSON(JSONWriter.encode(shapes), foundation(shapes)))
        #expect(try JSONWriter.encode(Shape.circle(radius: 2)) == foundation(Shape.circle(radius: 2)))
    }

    @Test func classInheritanceWithSuperEncoder() throws {
        let dog = Dog(name: "Rex", breed: "collie")
        let ours = try JSONWriter.encode(dog)
        #expect(text(ours) == #"{"breed":"collie","super":{"name":"Rex"}}"#)
        #expect(try sameJSON(ours, foundation(dog)))
        let back = try decode(Dog.self, ours)
        #expect(back.name == "Rex" && back.breed == "collie")

        let cat = Cat(name: "Tom", lives: 9)
        let c = try JSONWriter.encode(cat)
        #expect(text(c) == #"{"name":"Tom","lives":9}"#)
        #expect(try sameJSON(c, foundation(cat)))
        let cb = try decode(Cat.self, c)
        #expect(cb.name == "Tom" && cb.lives == 9)

        let s = try JSONWriter.encode(SuperKeys())
        #expect(text(s) == #"{"base":[1,"two"],"unused":{},"after":true}"#)
        #expect(try sameJSON(s, foundation(SuperKeys())))
    }

    @Test func dateDataURLDecimal() throws {
        let v = Stamps(date: Date(timeIntervalSince1970: 1_795_460_400), data: Data([0, 1, 2, 250, 251, 255]),
                       url: URL(string: "https://example.com/a/b?q=1&r=%20#frag")!, decimal: Decimal(string: "12.3456")!)
        #expect(try roundTrips(v))
        #expect(try sameJSON(JSONWriter.encode(v), foundation(v)))
        #expect(text(try JSONWriter.encode([v.date])) == #"["2026-11-23T19:00:00Z"]"#)
        let fractional = Date(timeIntervalSince1970: 1_795_460_400.987)
        #expect(try JSONWriter.encode([fractional]) == foundation([fractional]))
        #expect(try JSONWriter.encode([v.data]) == foundation([v.data]))
        #expect(try JSONWriter.encode([v.url]) == foundation([v.url]))
        #expect(try JSONWriter.encode([v.decimal]) == foundation([v.decimal]))
        #expect(try JSONWriter.encode(["d": v.date]) == foundation(["d": v.date]))
    }

    @Test func unicodeAndEveryEscapeClass() throws {
        var s = "quote\" backslash\\ slash/ nl\n cr\r tab\t bs\u{08} ff\u{0C} "
        for c in 0..<0x20 { s.unicodeScalars.append(Unicode.Scalar(UInt8(c))) }
        s += " del\u{7F} é ß 中文 𝄞 emoji 👩‍👩‍👧‍👦 🇨🇭 combining e\u{301} \u{2028}\u{2029} end"
        let ours = try JSONWriter.encode([s])
        #expect(try decode([String].self, ours) == [s])
        #expect(try sameJSON(ours, foundation([s])))
        let t = text(ours)
        #expect(t.contains(#"slash/"#))
        #expect(t.contains(#"quote\" backslash\\"#))
        #expect(t.contains(#"nl\n cr\r tab\t bs\b ff\f"#))
        #expect(t.contains(#"\u0000\u0001"#) && t.contains(#"\u001f"#))
        #expect(t.contains("👩‍👩‍👧‍👦 🇨🇭"))
        // Keys are escaped too.
        let keyed = ["k\"\n/é": "v"]
        #expect(try decode([String: String].self, JSONWriter.encode(keyed)) == keyed)
        #expect(try JSONWriter.encode(["plain é 👍 /", "a\"b\\c\n\t"]) == foundation(["plain é 👍 /", "a\"b\\c\n\t"]))
    }

    @Test func escapesFoundAtEveryPositionOfAWord() throws {
        // The scanner checks 8 bytes at a time; put each byte that needs escaping at every offset,
        // next to multi-byte UTF-8, and check nothing slips through.
        let base = Array("aé👍bcdefghijklmnopqrstuvwx".utf8)
        var specials: [UInt8] = Array(0..<0x20)
        specials += [0x22, 0x5C]
        for c in specials {
            for pos in 0...base.count where pos == base.count || base[pos] & 0xC0 != 0x80 {
                var bytes = base
                bytes.insert(c, at: pos)
                let s = String(decoding: bytes, as: UTF8.self)
                let out = try JSONWriter.encode([s])
                #expect(!out.contains { $0 < 0x20 }, "raw control byte \(c) at \(pos)")
                #expect(try decode([String].self, out) == [s], "byte \(c) at \(pos)")
            }
        }
        let clean = String(repeating: "abcdéfgh/", count: 20)
        #expect(try JSONWriter.encode([clean]) == foundation([clean]))
    }

    @Test func typeEncodingNothing() throws {
        #expect(text(try JSONWriter.encode(Nothing())) == "{}")
        #expect(text(try JSONWriter.encode(HoldsNothing(a: Nothing(), b: [Nothing(), Nothing()], c: 1))) == #"{"a":{},"b":[{},{}],"c":1}"#)
        #expect(try roundTrips(HoldsNothing(a: Nothing(), b: [Nothing()], c: 2)))
    }

    @Test func keyOrderIsDeclarationOrder() throws {
        #expect(text(try JSONWriter.encode(Ordered(zulu: 1, alpha: "a", mike: true))) == #"{"zulu":1,"alpha":"a","mike":true}"#)
        #expect(try roundTrips(Ordered(zulu: -1, alpha: "", mike: false)))
    }

    @Test func singleValueContainerHoldingArray() throws {
        #expect(text(try JSONWriter.encode(SingleArray())) == "[1,2,3]")
        #expect(text(try JSONWriter.encode(["k": SingleArray()])) == #"{"k":[1,2,3]}"#)
    }

    @Test func nonConformingFloatsThrow() throws {
        for bad in [Double.nan, .infinity, -.infinity] {
            #expect(throws: EncodingError.self) { try JSONWriter.encode(bad) }
            #expect(throws: EncodingError.self) { try JSONWriter.encode(["x": bad]) }
        }
        #expect(throws: EncodingError.self) { try JSONWriter.encode(OneFloat(x: .nan)) }
        #expect(throws: EncodingError.self) { try JSONWriter.encode([Float.infinity]) }
        do {
            _ = try JSONWriter.encode(Floats(values: [1, .nan]))
            Issue.record("expected a throw")
        } catch let EncodingError.invalidValue(_, ctx) {
            #expect(ctx.codingPath.map(\.stringValue) == ["values", "Index 1"])
            #expect(ctx.codingPath.last?.intValue == 1)
        }
        do {
            _ = try JSONWriter.encode(OneFloat(x: .infinity))
            Issue.record("expected a throw")
        } catch let EncodingError.invalidValue(_, ctx) {
            #expect(ctx.codingPath.map(\.stringValue) == ["x"])
        }
    }

    @Test func byteIdenticalToFoundationForDeterministicDocuments() throws {
        #expect(try JSONWriter.encode([1, 2, 3]) == foundation([1, 2, 3]))
        #expect(try JSONWriter.encode([[1], [2, 3], []]) == foundation([[1], [2, 3], []]))
        #expect(try JSONWriter.encode(["a", "", "b c"]) == foundation(["a", "", "b c"]))
        #expect(try JSONWriter.encode([true, false]) == foundation([true, false]))
        let doubles: [Double] = [0, -0.0, 3, 0.1, 1.25, -2.5, 1e16, 1e300, .leastNonzeroMagnitude, 123456.789, .greatestFiniteMagnitude]
        #expect(try JSONWriter.encode(doubles) == foundation(doubles))
        let floats: [Float] = [0, 3, 0.1, 1e20, -7.5]
        #expect(try JSONWriter.encode(floats) == foundation(floats))
        #expect(try JSONWriter.encode(["only": [1, 2]]) == foundation(["only": [1, 2]]))
        #expect(try JSONWriter.encode(["k": ["n": "v"]]) == foundation(["k": ["n": "v"]]))
        #expect(try JSONWriter.encode([Inner(name: "x", values: [])].map { ["v": $0.values] }) == foundation([["v": [Double]()]]))
        #expect(try JSONWriter.encode([String: Int]()) == foundation([String: Int]()))
        #expect(try JSONWriter.encode([Int]()) == foundation([Int]()))
    }

    @Test func outOfOrderContainersStillCorrect() throws {
        // The streaming path notices the interleaving and the result comes from the fallback.
        #expect(try JSONWriter.streamed(Interleaved()) == nil)
        #expect(try JSONWriter.streamed(Dog(name: "a", breed: "b")) != nil)
        #expect(try JSONWriter.streamed(SuperKeys()) != nil)
        let ours = try JSONWriter.encode(Interleaved())
        #expect(try sameJSON(ours, foundation(Interleaved())))
        #expect(try sameJSON(ours, Array(#"{"a":{"c":"late"},"b":[1,2],"c":3}"#.utf8)))
    }

    @Test func swallowedErrorsNeverLeavePartialOutput() throws {
        #expect(try JSONWriter.streamed(Swallows()) == nil)
        let bytes = try JSONWriter.encode(Swallows())
        #expect(try JSONSerialization.jsonObject(with: Data(bytes)) is [String: Any])
        #expect(try sameJSON(bytes, foundation(Swallows())))
    }

    @Test func largeDocumentsGrowTheBuffer() throws {
        let big = (0..<2000).map { Inner(name: "name-\($0)-" + String(repeating: "x", count: $0 % 50), values: [Double($0), 0.5]) }
        #expect(try JSONWriter.encode(big, capacity: 8).count > 100_000)
        #expect(try JSONWriter.encode(big, capacity: 8) == JSONWriter.encode(big))
        #expect(try roundTrips(big))
    }
}
