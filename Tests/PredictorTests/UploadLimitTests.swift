import Foundation
import ServiceKit
import Testing
@testable import Predictor

// Issue 10, findings 4 (per-user quotas) and 5 (directory amplification): every limit
// refuses the whole upload in {"code","description"}, names its setting and is counted.

/// 20 paths of 500 nested directories each once made 10,163 directories from a 20 KB body.
@Test func deeplyNestedPathsAreRefusedBeforeAnythingIsCreated() async throws {
    let directory = try HardenedPredictor.temporaryDirectory("depth")
    defer { try? FileManager.default.removeItem(at: directory) }
    let predictor = try await HardenedPredictor.start(in: directory)
    var files: [String: String] = [:]
    for index in 0..<20 { files["p\(index)/" + String(repeating: "d/", count: 499) + "x.py"] = "x = 1\n" }  // 500 directories each
    expectEnvelope(await predictor.upload(files), 400, contains: "MAX_PATH_DEPTH")
    #expect(predictor.refused("path_depth") == 1)
    let userRoot = predictor.data.appendingPathComponent("blobs/u-alice")
    #expect(!FileManager.default.fileExists(atPath: userRoot.path))
    // At the limit is fine.
    let deepest = (1...32).map { "l\($0)" }.joined(separator: "/") + "/ok.py"
    #expect(await predictor.upload([deepest: "x = 1\n"]).status == 200)
    expectEnvelope(await predictor.upload(["d/" + deepest: "x = 1\n"]), 400, contains: "more than 32 directories deep")
    await predictor.stop()
}

@Test func distinctDirectoriesPerUploadAreCapped() async throws {
    let directory = try HardenedPredictor.temporaryDirectory("dirs")
    defer { try? FileManager.default.removeItem(at: directory) }
    let predictor = try await HardenedPredictor.start(in: directory) { $0.maxUploadDirectories = 10 }
    // 10 directories (a, a/b0 … a/b8): accepted; 11: refused, nothing stored.
    var files: [String: String] = [:]
    for index in 0..<9 { files["a/b\(index)/m.txt"] = "x" }
    #expect(await predictor.upload(files).status == 200)
    files["a/b9/m.txt"] = "x"
    expectEnvelope(await predictor.upload(files, workspace: "other"), 413, contains: "MAX_UPLOAD_DIRECTORIES")
    #expect(predictor.refused("directories") == 1)
    #expect(!FileManager.default.fileExists(atPath: predictor.data.appendingPathComponent("blobs/u-alice/other").path))
    #expect(UploadPaths.directoryCount(["a/b/c.py", "a/d.py", "e.py", "a/b/f/g.py"]) == 3)
    await predictor.stop()
}

@Test func perUserQuotasRefuseGrowthButNotReplacement() async throws {
    let directory = try HardenedPredictor.temporaryDirectory("quota")
    defer { try? FileManager.default.removeItem(at: directory) }
    let quota = BlobQuota(bytes: 1000, files: 4, directories: 3)
    var predictor = try await HardenedPredictor.start(in: directory) { $0.userQuota = quota }
    let block = String(repeating: "x", count: 400)
    #expect(await predictor.upload(["one.txt": block, "two.txt": block]).status == 200)   // 800 bytes, 2 files, 1 directory (ws)
    expectEnvelope(await predictor.upload(["three.txt": block]), 413, contains: "USER_QUOTA_BYTES")
    #expect(predictor.refused("quota_bytes") == 1)
    #expect(!FileManager.default.fileExists(atPath: predictor.data.appendingPathComponent("blobs/u-alice/ws/three.txt").path))
    // Replacing a file with a bigger one within the quota, and with a smaller one, both work.
    #expect(await predictor.upload(["one.txt": block + String(repeating: "y", count: 150)]).status == 200)  // 950
    #expect(await predictor.upload(["two.txt": "small"]).status == 200)                                   // 555
    #expect(await predictor.upload(["three.txt": "3", "four.txt": "4"]).status == 200)                  // 4 files
    expectEnvelope(await predictor.upload(["five.txt": "5"]), 413, contains: "USER_QUOTA_FILES")
    #expect(predictor.refused("quota_files") == 1)
    // A fifth file in another workspace is over the quota too.
    expectEnvelope(await predictor.upload(["one.txt": "1"], workspace: "second"), 413, contains: "USER_QUOTA_FILES")
    // Other users have their own quota.
    #expect(await predictor.upload(["one.txt": block, "two.txt": block], as: HardenedPredictor.bob).status == 200)
    await predictor.stop()

    // After a restart the usage is counted from disk.
    predictor = try await HardenedPredictor.start(in: directory) { $0.userQuota = quota }
    expectEnvelope(await predictor.upload(["five.txt": "5"]), 413, contains: "USER_QUOTA_FILES")
    await predictor.stop()
}

@Test func directoryQuotaCountsEveryNewDirectory() async throws {
    let directory = try HardenedPredictor.temporaryDirectory("quota-dirs")
    defer { try? FileManager.default.removeItem(at: directory) }
    let predictor = try await HardenedPredictor.start(in: directory) { $0.userQuota = BlobQuota(bytes: .max, files: .max, directories: 3) }
    #expect(await predictor.upload(["a/b/one.txt": "1"]).status == 200)       // ws, ws/a, ws/a/b
    #expect(await predictor.upload(["a/b/two.txt": "2"]).status == 200)       // nothing new
    expectEnvelope(await predictor.upload(["a/c/three.txt": "3"]), 413, contains: "USER_QUOTA_DIRECTORIES")
    #expect(predictor.refused("quota_directories") == 1)
    #expect(!FileManager.default.fileExists(atPath: predictor.data.appendingPathComponent("blobs/u-alice/ws/a/c").path))
    await predictor.stop()
}

/// The defaults let a real workspace through: 2,000 files in 200 directories, 3 MB.
@Test func defaultLimitsAcceptAnOrdinaryWorkspace() async throws {
    let directory = try HardenedPredictor.temporaryDirectory("ordinary")
    defer { try? FileManager.default.removeItem(at: directory) }
    let predictor = try await HardenedPredictor.start(in: directory)
    let text = String(repeating: "# some documentation line of an ordinary project\n", count: 30)
    var files: [String: String] = [:]
    for index in 0..<2_000 {
        let path = "src/package\(index % 10)/module\(index % 200 / 10)/file\(index)"
        files[path + (index % 40 == 0 ? ".py" : ".md")] = index % 40 == 0 ? identifierFile("ordinary_helper_\(index)") : text
    }
    let response = await predictor.upload(files, workspace: "project")
    #expect(response.status == 200, "\(response.text)")
    #expect(predictor.metrics.value("uploads_refused_total", labels: [("reason", "directories")]) == nil)
    let usage = FileBlobStore.measure(predictor.data.appendingPathComponent("blobs/u-alice"))
    #expect(usage.files == 2_000)
    #expect(usage.directories == 1 + 1 + 10 + 200)
    await predictor.stop()
}

@Test func reservedTemporaryNamesAreRefused() throws {
    for name in [".upload-1234-ABC.tmp", "pkg/.model-x.tmp", ".upload-C0FFEE.tmp"] {
        #expect(throws: Never.self) { try UploadPaths.validate(name) }
        #expect(throws: UploadPathError.self) { try TemporaryFileName.refuseReserved(name) }
    }
    for name in [".upload.tmp", "upload-1.tmp", ".uploads/x.tmp", ".hidden.tmp"] {
        #expect(throws: Never.self) { try UploadPaths.validate(name) }
        #expect(throws: Never.self) { try TemporaryFileName.refuseReserved(name) }
    }
}
