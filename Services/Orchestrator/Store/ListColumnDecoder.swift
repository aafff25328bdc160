import JSON
import Storage

/// Decodes the list columns (`test_dataset`, `problems`, `train_data`, `test_data`: JSON
/// arrays of strings, see `Schema`) of the rows of one read, decoding each distinct text
/// once: the rows of a list often repeat one (every learnuplet of a problem has its
/// `test_data`, every algo of a problem the same chunks of `train_data`).
struct ListColumnDecoder {
    private var lastText = ""
    private var lastList: [String] = []
    private var chunks: [Int64: [String]] = [:]

    /// A list column's ids.
    mutating func decode(_ text: String) throws -> [String] {
        if text == lastText && !text.isEmpty { return lastList }
        let list = try Self.strings(text)
        lastText = text
        lastList = list
        return list
    }

    /// A learnuplet's `train_data`, the text of chunk `id`.
    mutating func chunk(_ id: Int64, _ text: String) throws -> [String] {
        if let hit = chunks[id] { return hit }
        let list = try Self.strings(text)
        chunks[id] = list
        return list
    }

    /// The strings of a JSON array text.
    static func strings(_ text: String) throws -> [String] {
        guard let list = try JSONParser().parse(text).strings else {
            throw StorageError(kind: .typeMismatch, message: "list column is not a JSON array of strings")
        }
        return list
    }

    /// A list as stored: JSON text.
    static func encode(_ list: [String]) -> String {
        JSONBuilder.encode(strings: list)
    }
}
