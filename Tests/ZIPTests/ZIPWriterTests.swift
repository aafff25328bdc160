import Foundation
import Testing
@testable import ZIP

/// Archives from the writer, read by Python's zipfile and `unzip -t`.
@Suite struct ZIPWriterTests {
    /// The files of the mixed archive: text, incompressible and compressible data across
    /// several 64 KiB pieces, an empty file, UTF-8 names.
    static let files: [(path: String, contents: [UInt8], modified: Date)] = [
        ("task.toml", Array("[task]\nname = \"demo\"\n".utf8), Date(timeIntervalSince1970: 1_700_000_001)),
        ("data/random.bin", ArchiveChecks.randomBytes(200_000, seed: 7), Date(timeIntervalSince1970: 1_000_000_000)),
        ("data/zeros.bin", [UInt8](repeating: 0, count: 300_000), Date(timeIntervalSince1970: 1_234_567_890)),
        ("empty.txt", [], Date(timeIntervalSince1970: 1_600_000_000)),
        ("dossier/été/naïve 文字 😀.txt", Array("UTF-8 name\n".utf8), Date(timeIntervalSince1970: 1_650_000_000)),
        ("tests/test.sh", Array("#!/bin/bash\necho 1 > /logs/verifier/reward.txt\n".utf8), Date(timeIntervalSince1970: 315_532_800)),
    ]

    @Test func anArchiveOfSeveralFilesOpensInZipfileAndUnzip() async throws {
        let (file, _) = try await ArchiveChecks.write { writer in
            for entry in Self.files { try await writer.addFile(path: entry.path, modified: entry.modified, contents: entry.contents) }
            #expect(writer.entryCount == Self.files.count)
            try await writer.finish()
        }
        let report = try await ArchiveChecks.zipfile(file)
        #expect(report.firstBadMember == nil)
        #expect(report.entries.map(\.name) == Self.files.map(\.path))
        for (entry, expected) in zip(report.entries, Self.files) {
            #expect(entry.data == expected.contents, "\(entry.name)")
            #expect(entry.size == expected.contents.count, "\(entry.name)")
            #expect(entry.crc == entry.crcOfData, "\(entry.name)")
            #expect(entry.flags & 0x0808 == 0x0808, "\(entry.name): data descriptor and UTF-8 bits")
            #expect(entry.method == 8, "\(entry.name): deflate")
            #expect(entry.dateTime == ArchiveChecks.dosFields(expected.modified), "\(entry.name)")
            #expect(entry.mode == 0o100644, "\(entry.name)")
            // Only the extended timestamp (0x5455, 5 bytes); no ZIP64 field in a small archive.
            #expect(ArchiveChecks.extraFields(entry.extraHex).map(\.id) == [0x5455], "\(entry.name): \(entry.extraHex)")
        }
        let unzip = try await ArchiveChecks.unzipTest(file)
        #expect(unzip.status == 0, "\(unzip.output)")
        #expect(unzip.output.contains("No errors detected"), "\(unzip.output)")
    }

    @Test func aFileIsStreamedFromDiskInPieces() async throws {
        let source = ArchiveChecks.temporaryFile("source.bin")
        var contents = ArchiveChecks.randomBytes(700_000, seed: 11)
        contents += [UInt8](repeating: 0x41, count: 900_000)
        contents += ArchiveChecks.randomBytes(123_457, seed: 12)
        try Data(contents).write(to: source)
        let modified = Date(timeIntervalSince1970: 1_750_000_000)
        let (file, pieces) = try await ArchiveChecks.write { writer in
            try await writer.addFile(path: "big/source.bin", modified: modified, reading: source)
            try await writer.addFile(path: "after.txt", modified: modified, contents: Array("after".utf8))
            try await writer.finish()
        }
        // Handed out as it was deflated, never as one piece: memory stays bounded.
        #expect(pieces.count > 5)
        #expect(pieces.allSatisfy { $0.count <= 3 * ZIPWriter.chunkSize }, "largest piece \(pieces.map(\.count).max() ?? 0)")
        let report = try await ArchiveChecks.zipfile(file)
        #expect(report.firstBadMember == nil)
        #expect(report.entries.map(\.name) == ["big/source.bin", "after.txt"])
        #expect(report.entries.first?.data == contents)
        #expect(report.entries.first?.crc == report.entries.first?.crcOfData)
        let unzip = try await ArchiveChecks.unzipTest(file)
        #expect(unzip.status == 0, "\(unzip.output)")
    }

    @Test func anEmptyArchiveIsOnlyTheEndRecord() async throws {
        let (file, pieces) = try await ArchiveChecks.write { writer in try await writer.finish() }
        let bytes = pieces.flatMap { $0 }
        #expect(bytes.count == 22)
        #expect(ArchiveChecks.littleEndian(bytes, at: 0, count: 4) == 0x0605_4B50)
        let report = try await ArchiveChecks.zipfile(file)
        #expect(report.firstBadMember == nil)
        #expect(report.entries.isEmpty)
        let unzip = try await ArchiveChecks.unzipTest(file)
        #expect(unzip.output.contains("zipfile is empty"), "\(unzip.output)")
    }

    @Test(arguments: [Int32(0), 1, 9, -1])
    func everyCompressionLevelMakesAValidArchive(level: Int32) async throws {
        let (file, _) = try await ArchiveChecks.write(compressionLevel: level) { writer in
            for entry in Self.files.prefix(3) { try await writer.addFile(path: entry.path, modified: entry.modified, contents: entry.contents) }
            try await writer.finish()
        }
        let report = try await ArchiveChecks.zipfile(file)
        #expect(report.firstBadMember == nil)
        #expect(report.entries.map(\.data) == Self.files.prefix(3).map(\.contents))
        #expect(try await ArchiveChecks.unzipTest(file).status == 0)
    }

    @Test func aCompressionLevelZlibRefusesIsAnError() async {
        let writer = ZIPWriter(output: { _ in }, compressionLevel: 12)
        await #expect(throws: ZIPError.compression("compression level 12 is not -1…9")) {
            try await writer.addFile(path: "a", modified: Date(), contents: [1])
        }
    }

    @Test func timesOutsideTheDOSRangeAreClamped() async throws {
        let early = Date(timeIntervalSince1970: 0)
        let late = Date(timeIntervalSince1970: 4_500_000_000)  // 2112
        let (file, _) = try await ArchiveChecks.write { writer in
            try await writer.addFile(path: "early", modified: early, contents: [1])
            try await writer.addFile(path: "late", modified: late, contents: [2])
            try await writer.finish()
        }
        let report = try await ArchiveChecks.zipfile(file)
        #expect(report.entries.map(\.dateTime) == [[1980, 1, 1, 0, 0, 0], [2107, 12, 31, 23, 59, 58]])
        #expect(try await ArchiveChecks.unzipTest(file).status == 0)
    }
}
