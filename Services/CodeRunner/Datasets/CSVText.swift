import Foundation

/// An uploaded file's bytes as text: UTF-8 (a byte-order mark dropped), else Latin-1
/// (every byte is a character there), as the original tried its encodings.
enum CSVText {
    /// The text and the encoding that read it.
    static func decode(_ bytes: [UInt8]) -> (text: String, encoding: String) {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let text = String(validating: body, as: UTF8.self) { return (text, "utf-8") }
        let text = String(data: Data(body), encoding: .isoLatin1) ?? String(decoding: body, as: UTF8.self)
        return (text, "latin-1")
    }
}
