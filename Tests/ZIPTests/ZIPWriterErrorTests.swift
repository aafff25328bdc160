import Foundation
import Testing
@testable import ZIP

/// Refused names, misuse and failures: each a clear error; a refusal before writing
/// leaves the writer usable, a failed write does not.
@Suite struct ZIPWriterErrorTests {
    @Test(arguments: ["", "/etc/passwd", "a//b", "a/", "..", "../x", "a/../b", "a/..", ".", "./a", "a\\b", "a\u{0}b", "a\nb"])
    func namesThatAreNotSafeRelativePathsAreRefused(name: String) async throws {
        let (file, _) = try await ArchiveChecks.write { writer in
            let error = await #expect(throws: ZIPError.self) {
                try await writer.addFile(path: name, modified: Date(), contents: [1, 2, 3])
            }
            guard case .invalidName(let refused, let reason)? = error else {
                Issue.record("expected invalidName, got \(String(describing: error))")
                return
            }
            #expect(refused == name && !reason.isEmpty)
            try await writer.addFile(path: "fine/..name.txt", modified: Date(), contents: [4])
            try await writer.finish()
        }
        let report = try await ArchiveChecks.zipfile(file)
        #expect(report.entries.map(\.name) == ["fine/..name.txt"])
    }

    @Test func aDuplicateNameIsRefused() async throws {
        let writer = ZIPWriter(output: { _ in })
        try await writer.addFile(path: "a/b.txt", modified: Date(), contents: [1])
        await #expect(throws: ZIPError.duplicateName("a/b.txt")) {
            try await writer.addFile(path: "a/b.txt", modified: Date(), contents: [2])
        }
        try await writer.finish()
    }

    @Test func nothingIsAcceptedAfterFinish() async throws {
        let writer = ZIPWriter(output: { _ in })
        try await writer.finish()
        await #expect(throws: ZIPError.finished) { try await writer.finish() }
        await #expect(throws: ZIPError.finished) { try await writer.addFile(path: "a", modified: Date(), contents: []) }
    }

    @Test func aMissingFileIsRefusedBeforeAnythingIsWritten() async throws {
        let missing = ArchiveChecks.temporaryFile("missing.bin")
        let (file, _) = try await ArchiveChecks.write { writer in
            let error = await #expect(throws: ZIPError.self) {
                try await writer.addFile(path: "missing.bin", modified: Date(), reading: missing)
            }
            #expect(error == .unreadable(path: missing.path, reason: "No such file or directory"))
            await #expect(throws: ZIPError.self) {
                try await writer.addFile(path: "folder", modified: Date(), reading: FileManager.default.temporaryDirectory)
            }
            try await writer.addFile(path: "present.txt", modified: Date(), contents: Array("x".utf8))
            try await writer.finish()
        }
        let report = try await ArchiveChecks.zipfile(file)
        #expect(report.entries.map(\.name) == ["present.txt"])
    }

    /// The error an output fails with.
    struct OutputGone: Error, Equatable {}

    @Test func aFailingOutputFailsTheArchive() async throws {
        let writer = ZIPWriter(output: { _ in throw OutputGone() })
        await #expect(throws: OutputGone()) {
            try await writer.addFile(path: "big.bin", modified: Date(), contents: ArchiveChecks.randomBytes(300_000, seed: 5))
        }
        await #expect(throws: ZIPError.failedEarlier) { try await writer.addFile(path: "next", modified: Date(), contents: []) }
        await #expect(throws: ZIPError.failedEarlier) { try await writer.finish() }
    }
}
