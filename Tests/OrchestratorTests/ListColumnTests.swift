import JSON
@testable import Orchestrator
import Storage
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
        let conn = try chunkTable([7: #"["d1","d2"]"#, 8: #"["d3"]"#])
        var lists = ListColumnDecoder(conn)
        let first = try lists.decode(#"["t1"]"#)
        #expect(try lists.decode(#"["t1"]"#) == first)
        #expect(try lists.decode(#"["t2"]"#) == ["t2"])
        #expect(try lists.chunk(7) == ["d1", "d2"])
        // A chunk id names one stored text: the second read of consecutive rows reuses the first.
        try conn.run("UPDATE chunk SET train_data = ? WHERE id = 7", #"["changed"]"#)
        #expect(try lists.chunk(7) == ["d1", "d2"])
        #expect(try lists.chunk(8) == ["d3"])
        #expect(try lists.chunk(7) == ["changed"])
        #expect(throws: (any Error).self) { try lists.chunk(9) }
    }

    @Test func chunksReadOnceComeFromTheStoresCache() throws {
        let conn = try chunkTable([7: #"["d1","d2"]"#])
        let cache = ChunkListCache()
        var lists = ListColumnDecoder(conn, chunks: cache)
        #expect(try lists.chunk(7) == ["d1", "d2"])
        #expect(cache.list(7) == ["d1", "d2"])
        // Stored chunks never change; changing one here shows where a later read takes its ids from.
        try conn.run("UPDATE chunk SET train_data = ? WHERE id = 7", #"["changed"]"#)
        var later = ListColumnDecoder(conn, chunks: cache)
        #expect(try later.chunk(7) == ["d1", "d2"])
        // Without the cache (inside write transactions) the table is read.
        var writing = ListColumnDecoder(conn)
        #expect(try writing.chunk(7) == ["changed"])
    }

    @Test func chunkCacheIsBoundedByIds() {
        let cache = ChunkListCache(capacity: 4)
        cache.insert(["a", "b"], for: 1)
        cache.insert(["c", "d"], for: 2)
        #expect(cache.count == 2)
        // One more id would exceed the capacity: the cache starts over.
        cache.insert(["e"], for: 3)
        #expect(cache.count == 1)
        #expect(cache.list(1) == nil && cache.list(3) == ["e"])
        // A list larger than the whole cache is not kept.
        cache.insert(["v", "w", "x", "y", "z"], for: 4)
        #expect(cache.list(4) == nil && cache.list(3) == ["e"])
    }
}

/// An in-memory database holding `chunk` rows (text by id).
private func chunkTable(_ chunks: [Int64: String]) throws -> SQLiteConnection {
    let conn = try SQLiteConnection(path: ":memory:")
    try conn.execute("CREATE TABLE chunk (id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, train_data TEXT NOT NULL)")
    for (id, text) in chunks { try conn.run("INSERT INTO chunk (id, hash, train_data) VALUES (?, 0, ?)", id, text) }
    return conn
}
