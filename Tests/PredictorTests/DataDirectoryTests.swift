import Foundation
import Testing
@testable import Predictor
import TestSupport

// Issue 10, findings 10 (temporary files left by a kill -9 stayed forever) and 11 (data
// readable by every local user).

/// Temporary files an earlier process left (a crash between write and rename) are removed
/// at start-up, counted and logged; other files, hidden ones included, stay.
@Test func orphanedTemporaryFilesAreSweptAtStartUp() async throws {
    let directory = try HardenedPredictor.temporaryDirectory("sweep")
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = directory.appendingPathComponent("data")
    let workspace = data.appendingPathComponent("blobs/u-alice/ws/pkg")
    let users = data.appendingPathComponent("users")
    for folder in [workspace, users] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
    let orphans = [
        workspace.appendingPathComponent(".upload-\(UUID().uuidString).tmp"),             // before this fix's names
        workspace.deletingLastPathComponent().appendingPathComponent(".upload-1a2b3c4d-\(UUID().uuidString).tmp"),
        users.appendingPathComponent(".model-deadbeef-\(UUID().uuidString).tmp"),
    ]
    let kept = [workspace.appendingPathComponent("keep.py"), workspace.appendingPathComponent(".hidden.tmp"),
                workspace.appendingPathComponent("upload-notes.tmp")]
    for file in orphans + kept { try Data("x = 1\n".utf8).write(to: file) }

    let predictor = try await HardenedPredictor.start(in: directory)
    let swept = await eventually(timeout: .seconds(120)) { predictor.metrics.value("temporary_files_swept_total") != nil }
    try #require(swept)
    #expect(predictor.metrics.value("temporary_files_swept_total") == 3)
    for file in orphans { #expect(!FileManager.default.fileExists(atPath: file.path), "\(file.lastPathComponent)") }
    for file in kept { #expect(FileManager.default.fileExists(atPath: file.path), "\(file.lastPathComponent)") }
    let log = predictor.log()
    #expect(log.contains("temporary files swept") && log.contains("\"removed\":3"), "\(log)")
    await predictor.stop()
}

/// A temporary file of the running process is not an orphan (uploads may run during the sweep).
@Test func theCurrentRunsTemporaryFilesAreNotOrphans() {
    let run = TemporaryFileName.newRunToken()
    let mine = TemporaryFileName.make(kind: "upload", run: run)
    #expect(TemporaryFileName.isTemporary(mine))
    #expect(!TemporaryFileName.isOrphan(mine, currentRun: run))
    #expect(TemporaryFileName.isOrphan(TemporaryFileName.make(kind: "model", run: "0ther"), currentRun: run))
    #expect(TemporaryFileName.isOrphan(".upload-\(UUID().uuidString).tmp", currentRun: run))
}

/// Every directory the predictor makes is 0700 and every file 0600, whatever the umask
/// (the modes are given at creation; `ServiceMain`'s umask 077 is a second guard, checked
/// through the real binary in `PredictorGatewayTests`).
@Test func everythingWrittenUnderDataDirIsPrivate() async throws {
    let directory = try HardenedPredictor.temporaryDirectory("modes")
    defer { try? FileManager.default.removeItem(at: directory) }
    let predictor = try await HardenedPredictor.start(in: directory)
    #expect(await predictor.upload(["pkg/sub/deep/mod.py": identifierFile("private_helper"), "notes/readme.md": "hi"]).status == 200)
    #expect(await predictor.upload(["pkg/sub/deep/mod.py": identifierFile("private_helper_two")], workspace: "w2").status == 200)
    let models = try FileManager.default.contentsOfDirectory(atPath: predictor.data.appendingPathComponent("models").path)
    #expect(models.contains { $0.hasPrefix("base-") })
    #expect(try FileManager.default.contentsOfDirectory(atPath: predictor.data.appendingPathComponent("users").path).count == 1)
    #expect(looseModes(under: predictor.data) == [])
    await predictor.stop()
}
