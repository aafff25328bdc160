import JSON
@testable import Orchestrator
import Testing

/// List columns are JSON arrays of strings: the store's own compact output is sliced
/// directly, anything else goes through the strict parser, with the same result.
@Suite struct ListColumnTests {
    @Test(arguments: [[], ["a"], ["d1", "d2", "d3"], ["", "x"], ["é/ü", "日本"], ["with space", "comma,inside", "[bracket]"],
                      ["quote\"inside"], ["back\\slash"], ["tab\tnewline\n"]] as [[String]])
    func storedListsReadBack(_ list: [String]) throws {
        let text = ListColumnDecoder.encode(list)
        #expect(try ListColumnDecoder.strings(text) == list)
        #expect(try JSONParser().parse(text).strings == list)
    }

    @Test func otherSpellingsGoThroughTheParser() throws {
        #expect(try ListColumnDecoder.strings(#"[ "a" , "b" ]"#) == ["a", "b"])
        #expect(try ListColumnDecoder.strings(#"["\u0041"]"#) == ["A"])
        #expect(try ListColumnDecoder.strings("[\n]") == [])
    }

    @Test(arguments: ["", "[", "]", #"["a""#, #"["a",]"#, #"["a" "b"]"#, "[1]", #"{"a":"b"}"#, #""a""#])
    func malformedListsThrow(_ text: String) {
        #expect(throws: (any Error).self) { try ListColumnDecoder.strings(text) }
    }

    @Test func repeatedTextsAndChunksAreDecodedOnce() throws {
        var lists = ListColumnDecoder()
        let first = try lists.decode(#"["t1"]"#)
        #expect(try lists.decode(#"["t1"]"#) == first)
        #expect(try lists.decode(#"["t2"]"#) == ["t2"])
        #expect(try lists.chunk(7, #"["d1","d2"]"#) == ["d1", "d2"])
        // A chunk id names one stored text: the second read reuses the first.
        #expect(try lists.chunk(7, #"["ignored"]"#) == ["d1", "d2"])
        #expect(try lists.chunk(8, #"["d3"]"#) == ["d3"])
    }
}
