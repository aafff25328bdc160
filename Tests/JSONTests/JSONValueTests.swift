import Foundation
import JSON
import Testing

/// A small deterministic generator (SplitMix64), so failures reproduce.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private let scalarPool: [Unicode.Scalar] = {
    var s: [Unicode.Scalar] = (0..<0x80).map { Unicode.Scalar(UInt8($0)) }
    for v: UInt32 in [0x80, 0x9F, 0xA0, 0xE9, 0x7FF, 0x800, 0x2028, 0x2029, 0xD7FF, 0xE000, 0xFEFF, 0xFFFD, 0xFFFE, 0xFFFF,
                      0x10000, 0x1D11E, 0x1F600, 0x10FFFF] {
        s.append(Unicode.Scalar(v)!)
    }
    return s
}()

private func randomString(_ g: inout SplitMix) -> String {
    var s = String.UnicodeScalarView()
    for _ in 0..<Int.random(in: 0...12, using: &g) { s.append(scalarPool.randomElement(using: &g)!) }
    return String(s)
}

private func randomValue(_ g: inout SplitMix, depth: Int) -> JSONValue {
    switch Int.random(in: 0..<(depth > 4 ? 5 : 7), using: &g) {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &g))
    case 2:
        let specials: [Int64] = [0, -1, 1, .max, .min, Int64(Int32.max) + 1]
        return .int(Bool.random(using: &g) ? specials.randomElement(using: &g)! : Int64.random(in: .min ... .max, using: &g))
    case 3:
        let specials: [Double] = [1.0, -0.0, 0.5, 1e300, -1e-300, .greatestFiniteMagnitude, .leastNonzeroMagnitude, 0.1 + 0.2, 100.0]
        if Bool.random(using: &g) { return .double(specials.randomElement(using: &g)!) }
        var d = Double(bitPattern: g.next())
        while !d.isFinite { d = Double(bitPattern: g.next()) }
        return .double(d)
    case 4: return .string(randomString(&g))
    case 5: return .array((0..<Int.random(in: 0...4, using: &g)).map { _ in randomValue(&g, depth: depth + 1) })
    default:
        var o = JSONObject()
        for _ in 0..<Int.random(in: 0...5, using: &g) { o[randomString(&g)] = randomValue(&g, depth: depth + 1) }
        return .object(o)
    }
}

/// Equal and with every object's members in the same order.
private func identical(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.double(let x), .double(let y)): return x.bitPattern == y.bitPattern
    case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { identical($0, $1) }
    case (.object(let x), .object(let y)):
        return x.keys == y.keys && zip(x.values, y.values).allSatisfy { identical($0, $1) }
    default: return a == b
    }
}

@Suite struct JSONValueTests {
    @Test func valueToBytesToValue() throws {
        var g = SplitMix(state: 0x5EED)
        for _ in 0..<2000 {
            let v = randomValue(&g, depth: 0)
            let bytes = v.serialized
            let back = try JSONParser().parse(bytes)
            #expect(identical(back, v), "\(v.serializedText)")
            // Foundation reads our bytes too.
            #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed) }
        }
    }

    @Test func numbersKeepIntegerOrDouble() throws {
        #expect(JSONValue.int(.max).serializedText == "9223372036854775807")
        #expect(JSONValue.int(.min).serializedText == "-9223372036854775808")
        #expect(JSONValue.double(1).serializedText == "1.0")
        #expect(try JSONParser().parse("1.0") == .double(1))
        #expect(try JSONParser().parse("1") == .int(1))
        #expect(try JSONParser().parse(JSONValue.double(-0.0).serialized).number?.sign == .minus)
        #expect(JSONValue.double(.nan).serializedText == "null")
    }

    @Test func accessors() throws {
        let v = try JSONParser().parse(#"{"s":"x","n":2,"d":2.5,"e":3.0,"b":true,"l":["a","b"],"m":["a",1],"z":null}"#)
        let o = try #require(v.object)
        #expect(o["s"]?.string == "x" && o["s"]?.stringOrStrings == ["x"])
        #expect(o["n"]?.integer == 2 && o["e"]?.integer == 3 && o["d"]?.integer == nil)
        #expect(o["d"]?.number == 2.5 && o["s"]?.number == nil)
        #expect(o["b"]?.bool == true && o["z"]?.isNull == true)
        #expect(o["l"]?.strings == ["a", "b"] && o["m"]?.strings == nil && o["l"]?.array?.count == 2)
        #expect(o["missing"] == nil)
        #expect(o.count == 8 && o.keys.first == "s")
        var m = o
        m["s"] = .int(1)
        m["new"] = .null
        m["z"] = nil
        #expect(m.keys == ["s", "n", "d", "e", "b", "l", "m", "new"] && m["s"] == .int(1))
        #expect((["b": .int(1), "a": .int(2)] as JSONObject).sortedByKey().keys == ["a", "b"])
        // Equality is JSON's: member order does not matter.
        #expect(JSONValue.object(["a": .int(1), "b": .int(2)]) == .object(["b": .int(2), "a": .int(1)]))
        #expect(JSONValue.object(["a": .int(1)]) != .object(["a": .int(1), "b": .int(2)]))
        #expect(JSONValue.int(1) != .double(1))
    }

    @Test func codableKeepsOrderThroughOurCoders() throws {
        let v = try JSONParser().parse(#"{"zulu":[1,2.5,"x",null,true],"alpha":{"y":{},"b":[]}}"#)
        #expect(try StrictJSONDecoder().decode(JSONValue.self, from: v.serialized) == v)
        #expect(String(decoding: try JSONWriter.encode(v), as: UTF8.self) == #"{"zulu":[1,2.5,"x",null,true],"alpha":{"y":{},"b":[]}}"#)
        // Through Foundation's decoder: same value (order is Foundation's business).
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(v.serialized)) == v)
        struct Holder: Codable, Equatable { var meta: JSONValue; var n: Int }
        let h = try StrictJSONDecoder().decode(Holder.self, from: Array(#"{"meta":{"k":[1]},"n":3}"#.utf8))
        #expect(h == Holder(meta: .object(["k": .array([.int(1)])]), n: 3))
    }
}
