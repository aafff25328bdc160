import Foundation
@testable import JSON
import Testing

// MARK: - Fixtures

/// Keys that need escaping, short and long (the copy goes by 8-byte words), empty, non-ASCII.
private struct OddKeys: Codable, Equatable {
    var quote = 1, backslash = 2, control = 3, long = 4, empty = 5, unicode = 6, plain = 7, slash = 8

    enum CodingKeys: String, CodingKey {
        case quote = "a\"b"
        case backslash = "back\\slash"
        case control = "tab\there\nnl\u{01}end\u{1F}"
        case long = "a key longer than eight bytes: é 👍 and more"
        case empty = ""
        case unicode = "中文"
        case plain = "p"
        case slash = "a/b"
    }
}

/// A key type whose cases carry a payload (still one plain byte: cached by bit pattern).
private struct FlagKeyed: Encodable {
    enum Key: CodingKey {
        case flag(Bool)
        case other

        var stringValue: String {
            switch self {
            case .flag(let on): on ? "yes" : "no"
            case .other: "other"
            }
        }
        var intValue: Int? { nil }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(1, forKey: .flag(true))
        try c.encode(2, forKey: .flag(false))
        try c.encode(3, forKey: .other)
        try c.encode(4, forKey: .flag(true))
    }
}

/// A key type with one case (no bytes at all).
private struct OneKey: Codable, Equatable {
    var only: [Int]
    enum CodingKeys: String, CodingKey { case only = "the only key" }
}

/// A key holding a string: not cached.
private struct NamedKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

private struct Named: Encodable {
    let names: [String]
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: NamedKey.self)
        for (i, name) in names.enumerated() { try c.encode(i, forKey: NamedKey(stringValue: name)) }
    }
}

// Three key types used only by the concurrency test, so that their tables are filled by
// concurrent encodes.
private struct RaceA: Codable, Equatable {
    var k01 = 1, k02 = "two", k03 = 3.5, k04 = true, k05: Int? = nil, k06 = [1, 2], k07 = "sept\"", k08 = 8
    var k09 = 9, k10 = "ten", k11 = -11, k12 = "twelve \\ twelve", k13 = 13, k14 = "é", k15 = 15, k16 = 16
}

private struct RaceB: Codable, Equatable {
    var alpha = "a", bravo = 2, charlie = [RaceC(), RaceC()], delta = "d\n", echo = 5.25, foxtrot = false
    enum CodingKeys: String, CodingKey {
        case alpha, bravo = "bravo\"quoted", charlie = "charlie/slash", delta, echo = "écho", foxtrot = "a longer key for foxtrot"
    }
}

private struct RaceC: Codable, Equatable {
    var x = 1, y = "why", z = [String](repeating: "zed", count: 3)
}

/// Keeps the encoder it was given (legal, if unusual), to be used after the encode returned.
private final class EncoderStash: @unchecked Sendable {
    var encoder: (any Encoder)?
}

private struct Escapee: Encodable {
    enum CodingKeys: String, CodingKey { case a, b }
    let stash: EncoderStash
    func encode(to encoder: any Encoder) throws {
        stash.encoder = encoder
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("v", forKey: .a)
    }
}

private struct Deep: Encodable { var rows: [[Double]] }
private struct InList: Encodable { var items: [[String: [Float]]] }

/// `OddKeys()` as `JSONWriter` writes it: members in declaration order.
private let oddKeysJSON = #"{"a\"b":1,"back\\slash":2,"tab\there\nnl\u0001end\u001f":3,"a key longer than eight bytes: é 👍 and more":4,"":5,"中文":6,"p":7,"a/b":8}"#

private func foundation<T: Encodable>(_ value: T) throws -> [UInt8] { try JSONWriter.foundationEncode(value) }

/// Whether two JSON objects hold the same members, whatever their order.
private func sameObject(_ a: [UInt8], _ b: [UInt8]) throws -> Bool {
    let x = try JSONSerialization.jsonObject(with: Data(a)) as? NSDictionary
    let y = try JSONSerialization.jsonObject(with: Data(b)) as? NSDictionary
    return x != nil && x == y
}
private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

// MARK: - Tests

@Suite struct JSONWriterKeyCacheTests {
    @Test func keysNeedingEscapesAreEscapedFromTheCache() throws {
        #expect(JSONKeyCache.caches(OddKeys.CodingKeys.self))
        // First encode fills the table, the next ones copy from it; Foundation (whose member
        // order is its own) must read every key back.
        for _ in 0..<3 {
            let ours = try JSONWriter.encode(OddKeys())
            #expect(text(ours) == oddKeysJSON)
            #expect(try JSONDecoder().decode(OddKeys.self, from: Data(ours)) == OddKeys())
            #expect(try sameObject(ours, foundation(OddKeys())))
        }
        // The same type inside a list: every element's keys come from the table.
        let list = [OddKeys](repeating: OddKeys(), count: 5)
        #expect(text(try JSONWriter.encode(list)) == "[" + [String](repeating: oddKeysJSON, count: 5).joined(separator: ",") + "]")
    }

    @Test func keysWithPayloadsAndSingleCaseKeys() throws {
        #expect(JSONKeyCache.caches(FlagKeyed.Key.self))
        #expect(JSONKeyCache.caches(OneKey.CodingKeys.self))
        for _ in 0..<2 {
            #expect(text(try JSONWriter.encode(FlagKeyed())) == #"{"yes":1,"no":2,"other":3,"yes":4}"#)
            #expect(try JSONWriter.encode(OneKey(only: [1])) == foundation(OneKey(only: [1])))
            #expect(text(try JSONWriter.encode([OneKey(only: []), OneKey(only: [2])])) == #"[{"the only key":[]},{"the only key":[2]}]"#)
        }
    }

    @Test func keysHoldingStringsAreNotCached() throws {
        #expect(!JSONKeyCache.caches(NamedKey.self))
        #expect(!JSONKeyCache.caches(JSONStringKey.self))
        // The same type with different names in turn: each key is its own.
        #expect(text(try JSONWriter.encode(Named(names: ["a", "b\"c"]))) == #"{"a":0,"b\"c":1}"#)
        #expect(text(try JSONWriter.encode(Named(names: ["x", "y"]))) == #"{"x":0,"y":1}"#)
        #expect(try JSONWriter.encode(["k\n": 1]) == foundation(["k\n": 1]))
    }

    @Test func tablesNeverChangeOnceMade() throws {
        let empty = JSONKeyTable()
        let one = empty.adding("first", for: 3)
        let two = one.adding("se\"cond", for: 0)
        #expect(empty.entry(3) == nil)
        #expect(one.entry(0) == nil)
        #expect(entryText(one.entry(3)) == #""first":"#)
        #expect(entryText(two.entry(3)) == #""first":"#)
        #expect(entryText(two.entry(0)) == #""se\"cond":"#)
        #expect(two.entry(1) == nil && two.entry(200) == nil)
    }

    @Test func concurrentEncodesFillTheCachesSafely() async throws {
        // Written out in declaration order (Foundation's member order is its own).
        let a = Array(#"{"k01":1,"k02":"two","k03":3.5,"k04":true,"k06":[1,2],"k07":"sept\"","k08":8,"k09":9,"k10":"ten","k11":-11,"k12":"twelve \\ twelve","k13":13,"k14":"é","k15":15,"k16":16}"#.utf8)
        let raceC = #"{"x":1,"y":"why","z":["zed","zed","zed"]}"#
        let b = Array(#"{"alpha":"a","bravo\"quoted":2,"charlie/slash":[\#(raceC),\#(raceC)],"delta":"d\n","écho":5.25,"a longer key for foxtrot":false}"#.utf8)
        let c = Array("[\(raceC),\(raceC)]".utf8)
        let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<24 {
                group.addTask {
                    var wrong = 0
                    for round in 0..<50 {
                        switch (task + round) % 3 {
                        case 0: if try JSONWriter.encode(RaceA()) != a { wrong += 1 }
                        case 1: if try JSONWriter.encode(RaceB()) != b { wrong += 1 }
                        default: if try JSONWriter.encode([RaceC(), RaceC()]) != c { wrong += 1 }
                        }
                    }
                    return wrong
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }

    @Test func documentCrossingTheFirstBufferAtEveryOffset() throws {
        let value = [OddKeys(), OddKeys()]
        let expected = Array("[\(oddKeysJSON),\(oddKeysJSON)]".utf8)
        for capacity in 0...(expected.count + 16) {
            #expect(try JSONWriter.encode(value, capacity: capacity) == expected, "capacity \(capacity)")
        }
        let strings = (0..<40).map { String(repeating: "é", count: $0 % 3) + String(repeating: "x", count: $0) }
        for capacity in stride(from: 0, through: 1200, by: 7) {
            #expect(try JSONWriter.encode(strings, capacity: capacity) == foundation(strings), "capacity \(capacity)")
        }
    }

    @Test func answersAreWrittenInPlaceAndTrimmedWhenMostlyEmpty() throws {
        let small = try JSONWriter.encode([1, 2, 3], capacity: 1 << 20)
        #expect(text(small) == "[1,2,3]")
        #expect(small.capacity < 4096)
        let inPlace = try JSONWriter.encode([1, 2, 3], capacity: 4096)
        #expect(inPlace.capacity >= 4096)
        #expect(text(inPlace) == "[1,2,3]")
    }

    @Test func stringsOfEveryLengthAroundAWord() throws {
        for length in 0...40 {
            let plain = String((0..<length).map { Character(UnicodeScalar(0x61 + $0 % 26)!) })
            let accented = String(repeating: "é", count: length / 2)
            let escaped = plain.isEmpty ? "\"" : String(plain.dropLast()) + "\\"
            for s in [plain, accented, escaped, plain + "\n"] {
                #expect(try JSONWriter.encode([s]) == foundation([s]), "\(s.debugDescription)")
                #expect(try JSONWriter.encode([s: s]) == foundation([s: s]), "\(s.debugDescription)")
            }
        }
    }

    @Test func anEncoderUsedAfterItsEncodeChangesNothing() throws {
        let stash = EncoderStash()
        let out = try JSONWriter.encode(["x": Escapee(stash: stash)])
        let copy = out
        #expect(text(out) == #"{"x":{"a":"v"}}"#)
        let late = try #require(stash.encoder)
        var keyed = late.container(keyedBy: Escapee.CodingKeys.self)
        for _ in 0..<100 { try? keyed.encode(String(repeating: "late", count: 100), forKey: .b) }
        var unkeyed = late.unkeyedContainer()
        try? unkeyed.encode(1)
        #expect(out == copy)
        #expect(text(out) == #"{"x":{"a":"v"}}"#)
    }

    @Test func errorPathsNameArrayIndexes() throws {
        do {
            _ = try JSONWriter.encode(Deep(rows: [[1], [2, .nan]]))
            Issue.record("expected a throw")
        } catch let EncodingError.invalidValue(_, context) {
            #expect(context.codingPath.map(\.stringValue) == ["rows", "Index 1", "Index 1"])
            #expect(context.codingPath.map(\.intValue) == [nil, 1, 1])
        }
        do {
            _ = try JSONWriter.encode(InList(items: [["a": [1]], ["b": [2, 3, .infinity]]]))
            Issue.record("expected a throw")
        } catch let EncodingError.invalidValue(_, context) {
            #expect(context.codingPath.map(\.stringValue) == ["items", "Index 1", "b", "Index 2"])
        }
    }
}

private func entryText(_ entry: (start: UnsafePointer<UInt8>, count: Int)?) -> String? {
    entry.map { String(decoding: UnsafeBufferPointer(start: $0.start, count: $0.count), as: UTF8.self) }
}
