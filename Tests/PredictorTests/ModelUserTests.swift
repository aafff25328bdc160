import Foundation
import Testing
@testable import Predictor

private let uploaded = """
def frobnicate_quaternion_widget(value):
    return value * 2

frobnicate_quaternion_widget(3)
frobnicate_quaternion_widget(4)
"""

private func tempDir() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("pred-users-\(UUID().uuidString)")
}

@Test func uploadedIdentifierIsPredictedForThatUserOnly() async throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let engine = PredictorEngine(configuration: .init(baseCacheFile: dir.appendingPathComponent("base"), userDirectory: dir))
    await engine.setBaseModel(smallModel())
    try await engine.upload(user: "alice", files: ["ws/lib/helpers.py": uploaded, "ws/README.md": "frobnicate_readme"])
    let file = "import os\n\nresult = frob<cursor>\n"
    let a = try await engine.predict(user: "alice", fileText: file, n: 3)
    #expect(a.predictions.first?.hasPrefix("frobnicate_quaternion_widget") == true)
    #expect(a.model == "auto")
    let b = try await engine.predict(user: "bob", fileText: file, n: 3)
    #expect(!b.predictions.contains { $0.contains("frobnicate_quaternion_widget") })
    let anon = try await engine.predict(user: nil, fileText: file, n: 3)
    #expect(!anon.predictions.contains { $0.contains("frobnicate") })
}

@Test func userModelSurvivesRestart() async throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let cfg = PredictorEngine.Configuration(baseCacheFile: dir.appendingPathComponent("base"), userDirectory: dir)
    let first = PredictorEngine(configuration: cfg)
    try await first.upload(user: "alice", files: ["ws/helpers.py": uploaded])
    let second = PredictorEngine(configuration: cfg)
    let p = try await second.predict(user: "alice", fileText: "x = frob<cursor>\n", n: 3)
    #expect(p.predictions.first?.hasPrefix("frobnicate_quaternion_widget") == true)
    let u = try #require(await second.userModel("alice"))
    let again = try UserModel(serialized: u.serialized())
    #expect(again.files == u.files)
    #expect(again.ngram == u.ngram)
}

@Test func replacingAFileRemovesItsOldContribution() async throws {
    var u = UserModel()
    u.update(files: ["ws/a.py": uploaded, "ws/b.py": "def keep_this_helper():\n    pass\n"])
    #expect(u.ngram.id(of: "frobnicate_quaternion_widget") != nil)
    #expect(u.definitionCounts["frobnicate_quaternion_widget"] == 1)
    u.update(files: ["ws/a.py": "def brand_new_function():\n    return 1\n"])
    #expect(u.ngram.id(of: "frobnicate_quaternion_widget") == nil)
    #expect(u.definitionCounts["frobnicate_quaternion_widget"] == nil)
    #expect(u.definitionCounts["brand_new_function"] == 1)
    #expect(u.definitionCounts["keep_this_helper"] == 1)
    let preds = await deterministicAuto().complete(
        try CompletionContext(fileText: "y = frob<cursor>\n", resources: ModelResources(base: smallModel(), user: u)), n: 3)
    #expect(!preds.contains { $0.text.contains("frobnicate") })
    u.remove(path: "ws/a.py")
    #expect(u.ngram.id(of: "brand_new_function") == nil)
}

@Test func unknownModelAndBadCursorAreErrors() async {
    let engine = PredictorEngine(configuration: .init(baseCacheFile: URL(fileURLWithPath: "/nonexistent/base")))
    await #expect(throws: PredictorEngine.PredictError.unknownModel("nope")) {
        try await engine.predict(user: nil, fileText: "x<cursor>", model: "nope")
    }
    await #expect(throws: PredictorEngine.PredictError.badCursor(.missingCursor)) {
        try await engine.predict(user: nil, fileText: "x")
    }
}

@Test func concurrentUploadsForOneUserAreAllKept() async throws {
    let engine = PredictorEngine(configuration: .init(baseCacheFile: URL(fileURLWithPath: "/nonexistent/base")))
    try await withThrowingTaskGroup(of: Void.self) { group in
        for i in 0..<6 {
            group.addTask { try await engine.upload(user: "carol", files: ["ws/m\(i).py": "def helper_number_\(i)():\n    pass\n"]) }
        }
        try await group.waitForAll()
    }
    let u = try #require(await engine.userModel("carol"))
    #expect(u.files.count == 6)
    for i in 0..<6 { #expect(u.definitionCounts["helper_number_\(i)"] == 1) }
    #expect(await engine.userModel("dave") == nil)
}
