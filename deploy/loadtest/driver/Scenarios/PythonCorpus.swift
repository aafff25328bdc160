import Foundation

/// Real Python files read from a directory, sorted by size into the classes the predictor's
/// benchmark uses, and completion points cut from them: a line typed up to the first two
/// characters of an identifier, `<cursor>` there, the rest of the file after that line.
struct PythonCorpus: Sendable {
    /// A size class of files.
    struct SizeClass: Sendable {
        /// `small`, `medium`, `large`.
        var name: String
        /// Lines, inclusive lower and exclusive upper bound.
        var lines: Range<Int>
    }

    /// Under 200 lines, up to 1,500, up to 6,000 (the predictor's benchmark uses 200 and 5,000).
    static let classes = [SizeClass(name: "small", lines: 20..<200), SizeClass(name: "medium", lines: 200..<1500),
                          SizeClass(name: "large", lines: 1500..<6000)]
    /// Files kept per class.
    static let filesPerClass = 24
    /// Files looked at, at most.
    static let scanLimit = 4000

    /// File texts by class name.
    let files: [String: [String]]

    /// The corpus under `directory`; fails when a class has no file.
    init(directory: String) throws {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else {
            throw LoadTestError.setup("cannot read the Python corpus \(directory)")
        }
        var paths: [String] = []
        while let relative = enumerator.nextObject() as? String, paths.count < Self.scanLimit {
            if relative.hasSuffix(".py") { paths.append(relative) }
        }
        paths.sort()
        var files: [String: [String]] = [:]
        for relative in paths.shuffled() {
            guard let text = try? String(contentsOfFile: (directory as NSString).appendingPathComponent(relative), encoding: .utf8),
                  text.utf8.count < 900_000, !text.contains("<cursor>") else { continue }
            let lines = text.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            guard let sizeClass = Self.classes.first(where: { $0.lines.contains(lines) }),
                  files[sizeClass.name, default: []].count < Self.filesPerClass else { continue }
            files[sizeClass.name, default: []].append(text)
        }
        for sizeClass in Self.classes where files[sizeClass.name, default: []].isEmpty {
            throw LoadTestError.setup("no \(sizeClass.name) Python file (\(sizeClass.lines.lowerBound)–\(sizeClass.lines.upperBound) lines) under \(directory)")
        }
        self.files = files
    }

    /// `count` completion points of `text` (fewer when it has fewer identifiers).
    static func completionPoints(_ text: String, count: Int) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var candidates: [(line: Int, cut: String.Index)] = []
        for (number, line) in lines.enumerated() {
            guard let start = line.firstIndex(where: { $0.isLetter || $0 == "_" }) else { continue }
            let identifier = line[start...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if identifier.count >= 4 { candidates.append((number, line.index(start, offsetBy: 2))) }
        }
        return candidates.shuffled().prefix(count).map { point in
            let before = lines[..<point.line].joined(separator: "\n")
            let typed = lines[point.line][..<point.cut]
            let after = lines[(point.line + 1)...].joined(separator: "\n")
            return before + "\n" + typed + "<cursor>\n" + after
        }
    }
}
