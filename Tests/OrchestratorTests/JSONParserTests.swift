@testable import Orchestrator
import Testing

@Suite struct JSONParserTests {
    @Test func parsesValues() {
        #expect(JSONValue.parse(Array(#" {"a": [1, -2.5, 3e2, true, false, null, "x"], "b": {}} "#.utf8))
            == .object(["a": .array([.int(1), .double(-2.5), .double(300), .bool(true), .bool(false), .null, .string("x")]), "b": .object([:])]))
        #expect(JSONValue.parse(Array(#""a\"b\\c\/\n\u00e9\ud83d\ude00""#.utf8)) == .string("a\"b\\c/\né😀"))
        #expect(JSONValue.parse(Array("[]".utf8)) == .array([]))
    }

    @Test func rejectsInvalidJSON() {
        for text in ["", "{", "[1,]", "{\"a\":}", "{a:1}", "01", "1.", "-", "tru", "\"\u{01}\"", "\"\\ud800\"", "[1] x", "{\"a\":1,}", "\"abc"] {
            #expect(JSONValue.parse(Array(text.utf8)) == nil, "\(text)")
        }
        let deep = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(JSONValue.parse(Array(deep.utf8)) == nil)
    }

    @Test func writerRoundTrips() {
        let v = JSONValue.object(["k\"ey": .array([.string("tab\there"), .double(0.5), .int(7), .null])])
        #expect(JSONValue.parse(Array(JSONWriter.encode(v).utf8)) == v)
    }
}

@Suite struct IdentifierTests {
    @Test func uuidsAreVersion4AndDistinct() {
        let ids = (0..<1000).map { _ in OrchestratorStore.newUUID() }
        #expect(Set(ids).count == 1000)
        for id in ids.prefix(50) {
            let chars = Array(id)
            #expect(chars.count == 36)
            #expect(chars[14] == "4")
            #expect("89ab".contains(chars[19]))
            #expect(id == id.lowercased())
        }
    }
}
