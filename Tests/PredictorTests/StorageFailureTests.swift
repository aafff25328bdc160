import Foundation
import Testing
@testable import Predictor

// Issue 10, finding 9: on a full disk /mass_upload answered 200 while the model save failed
// under `try?`, nothing was logged, and after a restart the user's names were gone. The
// disk here is `FakeDisk`: every file the predictor writes goes through its write(2), which
// writes what fits and then fails with ENOSPC.

@Test func aModelThatCannotBeSavedIs507AndTheLastGoodModelStays() async throws {
    let directory = try HardenedPredictor.temporaryDirectory("full-model")
    defer { try? FileManager.default.removeItem(at: directory) }
    let disk = FakeDisk()
    let predictor = try await HardenedPredictor.start(in: directory) { $0.writeCall = disk.writeCall }
    #expect(await predictor.upload(["lib/first.py": identifierFile("first_good_helper")]).status == 200)
    let modelFile = predictor.data.appendingPathComponent("users/\(Array("u-alice".utf8).map { String(format: "%02x", $0) }.joined()).umodel")
    let saved = try Data(contentsOf: modelFile)

    // Room for the uploaded file, not for the model that now holds both files.
    let second = identifierFile("second_lost_helper")
    disk.setFree(second.utf8.count + 16)
    let response = await predictor.upload(["lib/second.py": second])
    expectEnvelope(response, 507, contains: "personal model could not be saved")
    #expect(predictor.log().contains("personal model not saved"))
    #expect(predictor.log().contains("No space left on device"))
    #expect(predictor.refused("model_not_saved") == 1)
    #expect(predictor.metrics.value("user_model_save_failures_total") == 1)
    // The previous model is intact on disk, nothing half-written is left, and it is the one in use.
    #expect(try Data(contentsOf: modelFile) == saved)
    #expect(temporaryFiles(under: predictor.data) == [])
    #expect(await predictor.predictions("x = first_go<cursor>\n").first?.hasPrefix("first_good_helper") == true)
    await predictor.stop()

    // After a restart the last good model is there; with room again the upload goes through.
    let restarted = try await HardenedPredictor.start(in: directory)
    #expect(await restarted.predictions("x = first_go<cursor>\n").first?.hasPrefix("first_good_helper") == true)
    #expect(await restarted.upload(["lib/second.py": second]).status == 200)
    #expect(await restarted.predictions("x = second_lo<cursor>\n").first?.hasPrefix("second_lost_helper") == true)
    await restarted.stop()
}

@Test func filesThatCannotBeStoredAre507AndNothingIsStored() async throws {
    let directory = try HardenedPredictor.temporaryDirectory("full-blobs")
    defer { try? FileManager.default.removeItem(at: directory) }
    let disk = FakeDisk()
    let predictor = try await HardenedPredictor.start(in: directory) { $0.writeCall = disk.writeCall }
    #expect(await predictor.upload(["a.txt": "version one"]).status == 200)
    disk.setFree(5)
    let response = await predictor.upload(["a.txt": "version two, longer", "b.txt": "new"])
    expectEnvelope(response, 507, contains: "no space left")
    #expect(predictor.refused("insufficient_storage") == 1)
    #expect(predictor.log().contains("blob store full"))
    let stored = predictor.data.appendingPathComponent("blobs/u-alice/ws")
    #expect(try String(contentsOf: stored.appendingPathComponent("a.txt"), encoding: .utf8) == "version one")
    #expect(!FileManager.default.fileExists(atPath: stored.appendingPathComponent("b.txt").path))
    #expect(temporaryFiles(under: predictor.data) == [])
    await predictor.stop()
}

/// The writer itself: a failed write leaves the old file and no temporary file; the error
/// carries errno.
@Test func durableWriterKeepsTheOldFileOnFailure() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pred-writer-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let disk = FakeDisk()
    let writer = DurableFileWriter(writeCall: disk.writeCall)
    let file = directory.appendingPathComponent("deep/er/model.bin")
    try writer.replace(file, with: Array("old contents".utf8), kind: "model")
    disk.setFree(3)
    do {
        try writer.replace(file, with: Array("new contents".utf8), kind: "model")
        Issue.record("the write should have failed")
    } catch {
        #expect(error.isOutOfSpace && error.operation == "write" && error.code == ENOSPC)
    }
    #expect(try String(contentsOf: file, encoding: .utf8) == "old contents")
    #expect(try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path) == ["model.bin"])
    #expect(try writer.createDirectories(directory.appendingPathComponent("deep/er/x/y")) == 2)
    #expect(throws: StorageWriteError.self) { try writer.createDirectories(file.appendingPathComponent("under-a-file")) }
}
