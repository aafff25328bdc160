import Foundation
import Testing
@testable import Predictor

let trainingSource = """
import os
import sys

def read_config(path):
    with open(path) as handle:
        return handle.read()

def main(argv):
    config = read_config(argv[1])
    for line in config.splitlines():
        print(line.strip())
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""

/// Auto model without the latency budget, so results do not depend on machine speed.
func deterministicAuto() -> AutoCompletionModel {
    var s = LocalDecoder.Settings()
    s.extensionBudget = .infinity
    return AutoCompletionModel(settings: s)
}

func smallModel(order: Int = 4) -> NGramModel {
    var t = NGramTrainer(order: order)
    t.add(source: trainingSource)
    t.add(source: "for item in items:\n    print(item)\nresult = os.path.join(a, b)\n")
    return t.build()
}

@Test func probabilitiesSumToOne() {
    let m = smallModel()
    for history in [["<s>"], ["def"], ["print", "("], ["(", "path", ")"], ["zzz_unknown"]] {
        let st = m.state(history: history[...])
        var sum = 0.0
        for id in 0..<m.vocab.count { sum += m.prob(UInt32(id), st) }
        // the remaining mass belongs to unseen symbols (uniform floor)
        #expect(sum > 0.95 && sum <= 1.0001, "sum \(sum) after \(history)")
    }
}

@Test func backOffPrefersSeenContinuations() {
    let m = smallModel()
    let afterDef = m.state(history: ["\n", "def"][...])
    #expect(m.prob("read_config", afterDef) > m.prob("print", afterDef))
    // An unknown context backs off to the unigram level but still ranks frequent symbols.
    let unknown = m.state(history: ["never_seen_name"][...])
    #expect(unknown.ctx[1] == -1)
    #expect(m.prob("(", unknown) > m.prob("read_config", unknown))
    #expect(m.prob("not_in_vocab", unknown) > 0)
}

@Test func prefixRangeFindsAllSymbolsWithPrefix() {
    let m = smallModel()
    let r = m.idRange(prefix: "re")
    let names = r.map { m.vocab[Int($0)] }
    #expect(Set(names) == Set(m.vocab.filter { $0.hasPrefix("re") }))
    #expect(names.contains("read_config") && names.contains("return"))
    #expect(m.idRange(prefix: "qqq").isEmpty)
}

@Test func serialisationRoundTripGivesIdenticalPredictions() async throws {
    let m = smallModel()
    let data = m.serialized()
    let back = try NGramModel(serialized: data)
    #expect(back == m)
    let file = "import os\n\ndef read_config(path):\n    with open(path) as h:\n        return h.read()\n\nconfig = re<cursor>\n"
    let a = await deterministicAuto().complete(try CompletionContext(fileText: file, resources: ModelResources(base: m)), n: 5)
    let b = await deterministicAuto().complete(try CompletionContext(fileText: file, resources: ModelResources(base: back)), n: 5)
    #expect(!a.isEmpty)
    #expect(a == b)
    // Corrupt data is rejected, not trapped on.
    #expect(throws: BinaryCodecError.self) { try NGramModel(serialized: data.prefix(data.count / 2)) }
    #expect(throws: BinaryCodecError.self) { try NGramModel(serialized: Data([1, 2, 3])) }
}

@Test func baseCorpusTrainsFromADirectory() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pred-corpus-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("test"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try trainingSource.write(to: dir.appendingPathComponent("a.py"), atomically: true, encoding: .utf8)
    try "excluded_identifier_xyz = 1\n".write(to: dir.appendingPathComponent("test/b.py"), atomically: true, encoding: .utf8)
    let corpus = BaseCorpus(root: dir)
    #expect(corpus.files().count == 1)
    let cache = dir.appendingPathComponent("cache/base.ngram")
    let (m, cacheError) = corpus.loadOrTrain(cache: cache)
    #expect(cacheError == nil)
    #expect(m.id(of: "read_config") != nil)
    #expect(m.id(of: "excluded_identifier_xyz") == nil)
    #expect(FileManager.default.fileExists(atPath: cache.path))
    #expect(corpus.loadOrTrain(cache: cache).model == m)
}

@Test func pythonStandardLibraryIsFoundThroughPython() async throws {
    let stdlib = try #require(await BaseCorpus.pythonStandardLibrary())
    #expect(FileManager.default.fileExists(atPath: stdlib.appendingPathComponent("os.py").path))
}
