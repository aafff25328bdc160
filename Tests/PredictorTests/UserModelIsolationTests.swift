import Foundation
import ServiceKit
import Testing
@testable import Predictor

// Issue 10, finding 4: one user's upload froze everyone's predictions (the model was saved
// and loaded inside the engine actor) and personal models were held in memory forever.

private func engineDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("pred-iso-\(UUID().uuidString)")
}

/// While alice's model is being written (held inside write(2) at a gate), bob's and alice's
/// own predictions are answered; before, the save ran on the engine actor and every
/// prediction waited for it.
@Test func aModelSaveInProgressDoesNotHoldUpPredictions() async throws {
    let directory = engineDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let gate = WriteGate()
    let engine = PredictorEngine(configuration: .init(baseCacheFile: directory.appendingPathComponent("base"), userDirectory: directory,
                                                      writer: DurableFileWriter(writeCall: gate.writeCall)))
    await engine.setBaseModel(smallModel())
    let upload = Task { try await engine.upload(user: "alice", files: ["ws/w.py": identifierFile("held_at_the_gate_helper")]) }
    let held = await gate.waitUntilHeld()
    #expect(held)
    let bob = try await engine.predict(user: "bob", fileText: "import os\nresult = os.path.jo<cursor>\n", n: 3)
    let alice = try await engine.predict(user: "alice", fileText: "x = held_at<cursor>\n", n: 3)
    gate.open()
    try await upload.value
    #expect(!gate.forced, "a prediction waited for another user's model save")
    #expect(bob.predictions.first?.hasPrefix("join") == true, "\(bob.predictions)")
    #expect(!alice.predictions.contains { $0.hasPrefix("held_at_the_gate_helper") }, "the model in use until the save is done is the old one")
    let after = try await engine.predict(user: "alice", fileText: "x = held_at<cursor>\n", n: 3)
    #expect(after.predictions.first?.hasPrefix("held_at_the_gate_helper") == true, "\(after.predictions)")
}

/// With a budget smaller than one model only the model used last stays in memory; the
/// others are evicted and loaded again from their files when their user predicts.
@Test func personalModelsStayWithinTheMemoryBudgetAndReloadOnUse() async throws {
    let directory = engineDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let metrics = Metrics()
    let engine = PredictorEngine(configuration: .init(baseCacheFile: directory.appendingPathComponent("base"), userDirectory: directory,
                                                      userModelCacheBytes: 1),
                                 metrics: metrics)
    await engine.setBaseModel(smallModel())
    let users = ["alice", "bob", "carol"]
    for user in users { try await engine.upload(user: user, files: ["ws/\(user).py": identifierFile("\(user)_private_helper")]) }
    #expect(await engine.heldUserModels.count == 1)
    #expect(metrics.value("user_model_evictions_total") == 2)
    #expect(metrics.value("user_models_loaded") == 1)
    for user in users {
        let prediction = try await engine.predict(user: user, fileText: "value = \(user)_pri<cursor>\n", n: 3)
        #expect(prediction.predictions.first?.hasPrefix("\(user)_private_helper") == true, "\(user): \(prediction.predictions)")
        for other in users where other != user { #expect(!prediction.predictions.contains { $0.contains(other) }) }
        #expect(await engine.heldUserModels.count == 1)
    }
    // Each came back from disk once: carol (held at first) was evicted by alice's load.
    #expect(metrics.value("user_model_loads_total") == 3)
    #expect(metrics.value("user_model_evictions_total") == 5)
    #expect(metrics.value("user_models_bytes") == Double(await engine.heldUserModels.bytes))

    // A generous budget holds them all.
    let roomy = PredictorEngine(configuration: .init(baseCacheFile: directory.appendingPathComponent("base"), userDirectory: directory))
    for user in users { _ = await roomy.userModel(user) }
    #expect(await roomy.heldUserModels.count == 3)
    #expect(await roomy.userModel("dave") == nil)
}

@Test func userModelCacheEvictsTheLeastRecentlyUsed() {
    var cache = UserModelCache(budget: 250)
    let model = UserModel()
    #expect(cache.insert(model, bytes: 100, for: "a") == 0)
    #expect(cache.insert(model, bytes: 100, for: "b") == 0)
    _ = cache.use("a")
    #expect(cache.insert(model, bytes: 100, for: "c") == 1)  // b was used least recently
    #expect(cache.contains("a") && !cache.contains("b") && cache.contains("c"))
    #expect(cache.totalBytes == 200)
    #expect(cache.insert(model, bytes: 400, for: "d") == 2)  // larger than the budget: held alone
    #expect(cache.count == 1 && cache.totalBytes == 400)
    #expect(cache.insert(model, bytes: 50, for: "d") == 0)   // a replacement is not counted twice
    #expect(cache.totalBytes == 50)
}

@Test func estimatedBytesGrowWithTheUploads() {
    var small = UserModel()
    small.update(files: ["ws/a.py": identifierFile("one_helper")])
    var large = small
    large.update(files: ["ws/b.py": String(repeating: identifierFile("another_rather_long_helper_name"), count: 200)])
    #expect(small.estimatedBytes > 0)
    #expect(large.estimatedBytes > small.estimatedBytes * 10)
}
