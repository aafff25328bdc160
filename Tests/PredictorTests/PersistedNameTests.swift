import Foundation
import Testing
@testable import Predictor

// Names derived from hashes or hex that outlive the process must not change: an existing
// cache or model file must still be found after an upgrade. The expected names were
// produced by the predictor's own code before it moved onto the Crypto module.

/// The base model's cache file (FNV-1a 64 of the corpus key, lowercase hex without leading
/// zeros: see "/a").
@Test(arguments: [
    ("python3-stdlib", "base-b2506b1a48aab467.ngram"),
    ("/srv/corpus", "base-a1a8be760354b680.ngram"),
    ("/home/ünï/py corpus", "base-8d23985d3ccab281.ngram"),
    ("/a", "base-7d66707b49cd92d.ngram"),
])
func baseCacheFileNameIsUnchanged(corpusKey: String, fileName: String) {
    #expect(PredictorService.baseCacheFileName(corpusKey: corpusKey) == fileName)
}

/// A user's personal model file: the user id's UTF-8 in lowercase hex.
@Test func userModelFileNameIsUnchanged() async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("persisted-names-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let engine = PredictorEngine(configuration: .init(baseCacheFile: dir.appendingPathComponent("base"), userDirectory: dir))
    try await engine.upload(user: "Ünï", files: ["ws/a.py": "def helper_function():\n    return 1\n"])
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("c39c6ec3af.umodel").path))
}

/// The session id the predictor gives the LLM bridge (the bridge groups a user's calls by it).
@Test func llmSessionIDIsUnchanged() {
    #expect(LLMClient.sessionID(user: "u-alice") == "predictor-752d616c696365")
    #expect(LLMClient.sessionID(user: String(repeating: "é", count: 40)) == "predictor-" + String(repeating: "c3a9", count: 32))
}
