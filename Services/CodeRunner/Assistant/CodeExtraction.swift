/// The code in an LLM's answer: the first fenced block (```python … ```), else the whole
/// answer; surrounding blank lines removed.
enum CodeExtraction {
    /// The code.
    static func code(from answer: String) -> String {
        let lines = answer.split(separator: "\n", omittingEmptySubsequences: false)
        if let open = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("```") }) {
            let rest = lines[(open + 1)...]
            let close = rest.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("```") }) ?? lines.endIndex
            return trim(lines[(open + 1)..<close].joined(separator: "\n"))
        }
        return trim(answer)
    }

    private static func trim(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    /// Drops marker lines a model echoed inside a block.
    static func withoutMarkers(_ code: String) -> String {
        code.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { CodeBlocks.marker(String($0)) == nil }
            .joined(separator: "\n")
    }
}
