import Foundation

/// Code split at `# <name> code start` / `# <name> code end` markers (the kernel's rule:
/// a marker is a comment line of exactly three words, case-insensitive `code` and
/// `start`/`end`; an end marker closes the open block, a start marker opens a new one),
/// and the failing blocks found in an error text.
enum CodeBlocks {
    /// Segments in order; joining their texts with newlines gives the code back.
    static func split(_ code: String) -> [CodeSegment] {
        var segments: [CodeSegment] = []
        var outside: [String] = []
        var open: (name: String, marker: String, lines: [String])?
        func flushOutside() {
            if !outside.isEmpty { segments.append(CodeSegment(name: nil, body: outside.joined(separator: "\n"))) }
            outside = []
        }
        for line in code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            switch marker(line) {
            case .start(let name)?:
                if let block = open {
                    segments.append(CodeSegment(name: block.name, startMarker: block.marker, body: block.lines.joined(separator: "\n")))
                }
                flushOutside()
                open = (name, line, [])
            case .end? where open != nil:
                if let block = open {
                    segments.append(CodeSegment(name: block.name, startMarker: block.marker,
                                                body: block.lines.joined(separator: "\n"), endMarker: line))
                }
                open = nil
            default:
                if open != nil { open?.lines.append(line) } else { outside.append(line) }
            }
        }
        if let block = open {
            segments.append(CodeSegment(name: block.name, startMarker: block.marker, body: block.lines.joined(separator: "\n")))
        }
        flushOutside()
        return segments
    }

    /// Joins segments back into code.
    static func join(_ segments: [CodeSegment]) -> String {
        segments.map(\.text).joined(separator: "\n")
    }

    /// What a marker line says.
    enum Marker: Equatable {
        case start(String)
        case end(String)
    }

    /// `# <name> code start|end`, else nil.
    static func marker(_ line: String) -> Marker? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("#") else { return nil }
        let words = trimmed.dropFirst().split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count == 3, words[1].lowercased() == "code" else { return nil }
        switch words[2].lowercased() {
        case "start": return .start(String(words[0]))
        case "end": return .end(String(words[0]))
        default: return nil
        }
    }

    /// Indices of the named segments an error text blames: `=== ERROR IN <name> ===`
    /// headers (the execute output), else any block whose name the text mentions.
    static func failing(in segments: [CodeSegment], error: String) -> [Int] {
        var named: [String] = []
        for line in error.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("=== ERROR IN "), text.hasSuffix(" ===") {
                named.append(String(text.dropFirst("=== ERROR IN ".count).dropLast(" ===".count)).lowercased())
            }
        }
        let indices = segments.indices.filter { index in
            guard let name = segments[index].name?.lowercased() else { return false }
            return named.isEmpty ? error.lowercased().contains(name) : named.contains(name)
        }
        return indices
    }

    /// The part of an execute output about one block (`=== ERROR IN <name> ===` up to the
    /// next header), else the whole text.
    static func errorSection(for name: String, in error: String) -> String {
        let lines = error.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).lowercased() == "=== error in \(name.lowercased()) ===" }) else {
            return error
        }
        var end = start + 1
        while end < lines.count && !lines[end].hasPrefix("=== ") { end += 1 }
        return lines[start..<end].joined(separator: "\n")
    }
}
