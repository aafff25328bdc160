/// Long content cut into pieces a prompt can hold: at most `maxCharacters` each, cut at
/// blank lines where possible (a longer paragraph is cut where it must), each piece after
/// the first starting with the last `overlap` characters of the one before.
enum ContentChunker {
    /// Characters per piece.
    static let maxCharacters = 6000
    /// Characters repeated from the previous piece.
    static let overlap = 500

    /// The pieces of `content` (one piece when it is short enough).
    static func chunks(_ content: String, maxCharacters: Int = maxCharacters, overlap: Int = overlap) -> [String] {
        if content.count <= maxCharacters { return [content] }
        let budget = maxCharacters - overlap - 2
        var paragraphs: [Substring] = []
        for paragraph in content.split(separator: "\n\n", omittingEmptySubsequences: true) {
            var rest = paragraph
            while rest.count > budget {
                let cut = rest.index(rest.startIndex, offsetBy: budget)
                paragraphs.append(rest[..<cut])
                rest = rest[cut...]
            }
            if !rest.isEmpty { paragraphs.append(rest) }
        }
        var chunks: [String] = []
        var current = ""
        var fresh = false  // whether `current` holds more than the overlap
        for paragraph in paragraphs {
            if fresh && current.count + 2 + paragraph.count > maxCharacters {
                chunks.append(current)
                current = String(current.suffix(overlap))
                fresh = false
            }
            current += current.isEmpty ? String(paragraph) : "\n\n" + paragraph
            fresh = true
        }
        if fresh { chunks.append(current) }
        return chunks
    }
}
