import Foundation
import Testing
@testable import TaskManager
import TestSupport

/// `SimilarityRatio` is Python's `difflib.SequenceMatcher(None, a, b).ratio()`: compared
/// with Python itself on short and long (autojunk) texts, ASCII and not.
@Suite("similarity ratio")
struct SimilarityRatioTests {
    static var python: String { ProcessInfo.processInfo.environment["TEST_PYTHON"] ?? "deploy/.venv/bin/python" }

    static func pairs() -> [(String, String)] {
        var generator = FakeTextGenerator(seed: 7)
        var pairs: [(String, String)] = [("", ""), ("a", ""), ("abc", "abc"), ("abcd", "bcde"), ("Grüße aus Köln", "Grüsse aus Koeln"),
                                         ("The quick brown fox", "The quick brown dog"), ("ab" + String(repeating: "x", count: 300), "ba")]
        for length in [10, 50, 150, 199, 200, 201, 400, 900] {
            let a = generator.text(length)
            var b = Array(a)
            for _ in 0..<(length / 8 + 1) { b[generator.index(b.count)] = generator.character() }
            pairs.append((a, String(b)))
            pairs.append((a, generator.text(length)))
        }
        return pairs
    }

    @Test func equalsPythonsDifflib() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.python), "run deploy/test, which provisions \(Self.python)")
        let pairs = Self.pairs()
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("ratio-\(UUID().uuidString).json")
        try JSONEncoder().encode(pairs.map { [$0.0, $0.1] }).write(to: input)
        let script = "import difflib, json, sys\nfor a, b in json.load(open(sys.argv[1])): print(repr(difflib.SequenceMatcher(None, a, b).ratio()))"
        let result = try await TestSupport.run(URL(fileURLWithPath: Self.python), arguments: ["-c", script, input.path], includingStandardError: true)
        #expect(result.status == 0, "\(result.output)")
        let expected = result.output.split(separator: "\n").compactMap { Double($0) }
        #expect(expected.count == pairs.count)
        for (index, (pair, python)) in zip(pairs, expected).enumerated() {
            let ours = SimilarityRatio.ratio(pair.0, pair.1)
            #expect(abs(ours - python) < 1e-12, "pair \(index): ours \(ours), difflib \(python)")
        }
        try? FileManager.default.removeItem(at: input)
    }
}

/// Deterministic texts of words.
struct FakeTextGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 33
    }
    mutating func index(_ count: Int) -> Int { Int(next() % UInt64(count)) }
    mutating func character() -> Character { Array("abcdefghijklmnopqrstuvwxyzäöü ")[index(30)] }
    mutating func text(_ length: Int) -> String {
        let words = ["the", "model", "answers", "questions", "about", "caching", "über", "data", "and", "tests", "quickly"]
        var text = ""
        while text.count < length { text += (text.isEmpty ? "" : " ") + words[index(words.count)] }
        return String(text.prefix(length))
    }
}
