import Foundation
import Testing
@testable import ZIP

/// ZIP64: the end records past 65,535 entries, and (with the testing threshold lowered)
/// ZIP64 sizes and offsets in small archives, which zipfile and unzip must still read.
@Suite struct ZIP64Tests {
    @Test func sixtyFiveThousandFiveHundredThirtySixEntriesGetTheZIP64EndRecords() async throws {
        let count = 65_536
        let modified = Date(timeIntervalSince1970: 1_700_000_000)
        let (file, pieces) = try await ArchiveChecks.write { writer in
            for index in 0..<count {
                try await writer.addFile(path: "files/\(index / 1000)/\(index).txt", modified: modified, contents: Array("entry \(index)\n".utf8))
            }
            try await writer.finish()
        }
        let bytes = pieces.flatMap { $0 }
        let end = bytes.count - 22
        #expect(ArchiveChecks.littleEndian(bytes, at: end, count: 4) == 0x0605_4B50)
        #expect(ArchiveChecks.littleEndian(bytes, at: end + 10, count: 2) == 0xFFFF, "entry count in the classic end record")
        #expect(ArchiveChecks.littleEndian(bytes, at: end - 20, count: 4) == 0x0706_4B50, "ZIP64 end locator")
        let zip64End = Int(ArchiveChecks.littleEndian(bytes, at: end - 12, count: 8))
        #expect(ArchiveChecks.littleEndian(bytes, at: zip64End, count: 4) == 0x0606_4B50)
        #expect(ArchiveChecks.littleEndian(bytes, at: zip64End + 32, count: 8) == UInt64(count))

        let summary = try await ArchiveChecks.zipfileSummary(file)
        #expect(summary.count == count)
        let expected = (0..<count).map { index in
            (name: "files/\(index / 1000)/\(index).txt", contents: Array("entry \(index)\n".utf8))
        }
        #expect(summary.sha256 == ArchiveChecks.summaryDigest(expected), "names and contents, in order")
        let unzip = try await ArchiveChecks.unzipTest(file, quietly: true)
        #expect(unzip.status == 0, "\(unzip.output.suffix(500))")
        #expect(unzip.output.contains("No errors detected"))
    }

    @Test func everyFieldInZIP64FormIsStillReadable() async throws {
        let files = ZIPWriterTests.files
        let (file, pieces) = try await ArchiveChecks.write(zip64Threshold: 0) { writer in
            for entry in files { try await writer.addFile(path: entry.path, modified: entry.modified, contents: entry.contents) }
            try await writer.finish()
        }
        let bytes = pieces.flatMap { $0 }
        #expect(ArchiveChecks.littleEndian(bytes, at: bytes.count - 42, count: 4) == 0x0706_4B50, "ZIP64 end locator")
        let report = try await ArchiveChecks.zipfile(file)
        #expect(report.firstBadMember == nil)
        #expect(report.entries.map(\.name) == files.map(\.path))
        #expect(report.entries.map(\.data) == files.map(\.contents))
        // Each central header carries a ZIP64 field (id 0x0001) with both sizes and the offset.
        for entry in report.entries {
            let fields = ArchiveChecks.extraFields(entry.extraHex)
            #expect(fields.map(\.id) == [0x0001, 0x5455] && fields.first?.size == 24, "\(entry.name): \(entry.extraHex)")
        }
        let unzip = try await ArchiveChecks.unzipTest(file)
        #expect(unzip.status == 0, "\(unzip.output)")
        #expect(unzip.output.contains("No errors detected"))
    }

    @Test func offsetsPastTheThresholdGetZIP64OffsetsOnly() async throws {
        let small = (0..<8).map { Array("small file \($0)".utf8) }
        let large = ArchiveChecks.randomBytes(5_000, seed: 3)
        let modified = Date(timeIntervalSince1970: 1_700_000_000)
        let (file, _) = try await ArchiveChecks.write(zip64Threshold: 2_000) { writer in
            for (index, contents) in small.enumerated() { try await writer.addFile(path: "s\(index)", modified: modified, contents: contents) }
            try await writer.addFile(path: "large", modified: modified, contents: large)
            for (index, contents) in small.enumerated() { try await writer.addFile(path: "t\(index)", modified: modified, contents: contents) }
            try await writer.finish()
        }
        let report = try await ArchiveChecks.zipfile(file)
        #expect(report.firstBadMember == nil)
        #expect(report.entries.map(\.data) == small + [large] + small)
        for entry in report.entries {
            // The ZIP64 field holds 8 bytes for each of: both sizes (the large entry), the offset (past the threshold).
            let zip64Size = (entry.name == "large" ? 16 : 0) + (entry.offset >= 2_000 ? 8 : 0)
            let fields = ArchiveChecks.extraFields(entry.extraHex)
            let expected: [UInt16] = zip64Size > 0 ? [0x0001, 0x5455] : [0x5455]
            #expect(fields.map(\.id) == expected, "\(entry.name): \(entry.extraHex)")
            #expect(zip64Size == 0 || fields.first?.size == zip64Size, "\(entry.name): \(entry.extraHex)")
        }
        #expect(report.entries.contains { $0.offset < 2_000 } && report.entries.contains { $0.offset >= 2_000 })
        let unzip = try await ArchiveChecks.unzipTest(file)
        #expect(unzip.status == 0, "\(unzip.output)")
    }
}
