import JSON
import Storage

/// Decodes the list columns (`test_dataset`, `problems`, `train_data`, `test_data`: JSON
/// arrays of strings, see `Schema`) of the rows of one read, reusing the previous row's
/// list when the text repeats: consecutive rows often share one (every learnuplet of a
/// problem has its `test_data`; the learnuplets of one rank, one per algo, the same chunk).
/// A chunk's ids come from the store's `ChunkListCache` when the read may use it, else
/// from the `chunk` table.
struct ListColumnDecoder {
    private var lastText = ""
    private var lastList: [String] = []
    private var lastChunk: Int64 = -1
    private var lastChunkList: [String] = []
    /// The connection of the read, for chunks.
    private let connection: any SQLConnection
    /// Chunks read before (committed reads only); nil inside write transactions.
    private let chunks: ChunkListCache?

    /// A decoder for the rows of one read on `connection`; `chunks` only for read transactions.
    init(_ connection: any SQLConnection, chunks: ChunkListCache? = nil) {
        self.connection = connection
        self.chunks = chunks
    }

    /// A list column's ids.
    mutating func decode(_ text: String) throws -> [String] {
        if text == lastText && !text.isEmpty { return lastList }
        let list = try Self.strings(text)
        lastText = text
        lastList = list
        return list
    }

    /// A learnuplet's `train_data`: the ids of chunk `id`.
    mutating func chunk(_ id: Int64) throws -> [String] {
        if id == lastChunk { return lastChunkList }
        if let known = chunks?.list(id) {
            lastChunkList = known
        } else {
            guard let row = try connection.queryOne(Queries.chunkTrainData, id) else {
                throw StorageError(kind: .typeMismatch, message: "learnuplet refers to chunk \(id), which does not exist")
            }
            lastChunkList = try Self.strings(try row.get(0))
            chunks?.insert(lastChunkList, for: id)
        }
        lastChunk = id
        return lastChunkList
    }

    /// The strings of a JSON array text: as the store writes them (compact, no escape in
    /// any id) sliced out directly; anything else through the strict parser.
    static func strings(_ text: String) throws -> [String] {
        var text = text
        if let plain = text.withUTF8({ Self.plainStrings($0) }) { return plain }
        guard let list = try JSONParser().parse(text).strings else {
            throw StorageError(kind: .typeMismatch, message: "list column is not a JSON array of strings")
        }
        return list
    }

    /// `["a","b",…]` with no space and no backslash: the strings between the quotes; nil
    /// for any other text.
    static func plainStrings(_ bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), backslash = UInt8(ascii: "\\")
        let end = bytes.count - 1
        guard end >= 1, bytes[0] == UInt8(ascii: "["), bytes[end] == UInt8(ascii: "]") else { return nil }
        var list: [String] = []
        var i = 1
        if i == end { return list }
        while true {
            guard i < end, bytes[i] == quote else { return nil }
            let start = i + 1
            var j = start
            while j < end && bytes[j] != quote {
                if bytes[j] == backslash { return nil }
                j += 1
            }
            guard j < end else { return nil }
            list.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<j]), as: UTF8.self))
            i = j + 1
            if i == end { return list }
            guard bytes[i] == comma else { return nil }
            i += 1
        }
    }

    /// A list as stored: JSON text.
    static func encode(_ list: [String]) -> String {
        JSONBuilder.encode(strings: list)
    }
}
