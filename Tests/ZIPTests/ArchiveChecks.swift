import Crypto
import Foundation
import JSON
import TestSupport
@testable import ZIP

/// Writing archives to temporary files and reading them with the outside references:
/// Python's zipfile (`deploy/checks/zip_check.py`, through `TEST_PYTHON`) and `unzip -t`.
enum ArchiveChecks {
    /// The pieces a writer handed out, in order.
    actor Sink {
        private(set) var pieces: [[UInt8]] = []
        /// Takes one piece.
        func take(_ piece: [UInt8]) { pieces.append(piece) }
        /// All bytes, joined.
        var bytes: [UInt8] { pieces.flatMap { $0 } }
    }

    /// An archive written by `build` (with ZIP64 forms from `zip64Threshold` up), saved to
    /// a temporary file; the file and the pieces as handed out.
    static func write(zip64Threshold: UInt64 = 0xFFFF_FFFF, compressionLevel: Int32 = 6,
                      _ build: (ZIPWriter) async throws -> Void) async throws -> (file: URL, pieces: [[UInt8]]) {
        let sink = Sink()
        let writer = ZIPWriter(output: { piece in await sink.take(piece) }, compressionLevel: compressionLevel,
                               zip64Threshold: zip64Threshold)
        try await build(writer)
        let pieces = await sink.pieces
        let file = temporaryFile("archive.zip")
        try Data(pieces.flatMap { $0 }).write(to: file)
        return (file, pieces)
    }

    /// A fresh path in a fresh temporary folder.
    static func temporaryFile(_ name: String) -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ziptests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name)
    }

    /// The repository's root (from this file's place in it).
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// What Python's zipfile found in `file`.
    struct ZipfileReport {
        /// One member.
        struct Entry {
            let name: String
            let size: Int
            let crc: Int
            let crcOfData: Int
            let flags: Int
            let method: Int
            let dateTime: [Int]
            let extraHex: String
            let offset: Int
            let mode: Int
            let data: [UInt8]?
        }

        /// `testzip()`: nil when every member decompressed with the right CRC.
        let firstBadMember: String?
        /// The members in central-directory order.
        let entries: [Entry]
    }

    /// Runs `zip_check.py` on `file`.
    static func zipfile(_ file: URL, withData: Bool = true) async throws -> ZipfileReport {
        let python = ProcessInfo.processInfo.environment["TEST_PYTHON"] ?? "/usr/bin/python3"
        let script = repositoryRoot.appendingPathComponent("deploy/checks/zip_check.py").path
        let result = try await TestSupport.run(URL(fileURLWithPath: python),
                                               arguments: [script, file.path] + (withData ? [] : ["--no-data"]),
                                               includingStandardError: true)
        guard result.status == 0 else { throw CheckFailed(description: "zip_check.py failed (\(result.status)): \(result.output)") }
        let report = try JSONParser().parse(result.output)
        let entries = try (report.object?["entries"]?.array ?? []).map { value throws -> ZipfileReport.Entry in
            guard let entry = value.object else { throw CheckFailed(description: "bad report \(result.output.prefix(300))") }
            return ZipfileReport.Entry(
                name: entry["name"]?.string ?? "", size: entry["size"]?.integer ?? -1,
                crc: entry["crc"]?.integer ?? -1, crcOfData: entry["crc_of_data"]?.integer ?? -2,
                flags: entry["flags"]?.integer ?? 0, method: entry["method"]?.integer ?? -1,
                dateTime: entry["date_time"]?.array?.compactMap(\.integer) ?? [],
                extraHex: entry["extra"]?.string ?? "", offset: entry["offset"]?.integer ?? -1,
                mode: entry["mode"]?.integer ?? 0,
                data: entry["data"]?.string.flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) })
        }
        return ZipfileReport(firstBadMember: report.object?["testzip"]?.string, entries: entries)
    }

    /// What `zip_check.py --summary` found, having read every member (each CRC-32 checked
    /// by zipfile; a mismatch fails the script): the member count and a SHA-256 over every
    /// member in order (name, NUL, data, NUL).
    static func zipfileSummary(_ file: URL) async throws -> (count: Int, sha256: String) {
        let python = ProcessInfo.processInfo.environment["TEST_PYTHON"] ?? "/usr/bin/python3"
        let script = repositoryRoot.appendingPathComponent("deploy/checks/zip_check.py").path
        let result = try await TestSupport.run(URL(fileURLWithPath: python), arguments: [script, file.path, "--summary"],
                                               includingStandardError: true)
        guard result.status == 0, let report = try JSONParser().parse(result.output).object else {
            throw CheckFailed(description: "zip_check.py failed (\(result.status)): \(result.output)")
        }
        return (report["count"]?.integer ?? -1, report["sha256"]?.string ?? "")
    }

    /// The digest `zipfileSummary` reports for `entries`, computed here.
    static func summaryDigest(_ entries: [(name: String, contents: [UInt8])]) -> String {
        var bytes: [UInt8] = []
        for entry in entries { bytes += Array(entry.name.utf8) + [0] + entry.contents + [0] }
        return SHA256.digest(bytes).hex
    }

    /// `unzip -t` on `file` (`-tq`, a summary only, with `quietly`): its exit status and output.
    static func unzipTest(_ file: URL, quietly: Bool = false) async throws -> TestSupport.CommandResult {
        try await TestSupport.run(URL(fileURLWithPath: "/usr/bin/unzip"), arguments: [quietly ? "-tq" : "-t", file.path],
                                  includingStandardError: true)
    }

    /// A check that could not run.
    struct CheckFailed: Error, CustomStringConvertible {
        let description: String
    }

    /// `count` bytes from a seeded generator (incompressible).
    static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix(seed: seed)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 8)
        while bytes.count < count { withUnsafeBytes(of: generator.next()) { bytes.append(contentsOf: $0) } }
        return Array(bytes.prefix(count))
    }

    /// The UTC calendar fields Python reports for `date` in a ZIP entry (seconds rounded
    /// down to even), computed with Foundation's calendar.
    static func dosFields(_ date: Date) -> [Int] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return [parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second! / 2 * 2]
    }

    /// The (id, data size) of each extra field in `hex` (a central header's extra block).
    static func extraFields(_ hex: String) -> [(id: UInt16, size: Int)] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        var fields: [(id: UInt16, size: Int)] = []
        var offset = 0
        while offset + 4 <= bytes.count {
            let size = Int(littleEndian(bytes, at: offset + 2, count: 2))
            fields.append((UInt16(littleEndian(bytes, at: offset, count: 2)), size))
            offset += 4 + size
        }
        return fields
    }

    /// The little-endian value of `count` bytes of `bytes` at `offset`.
    static func littleEndian(_ bytes: [UInt8], at offset: Int, count: Int) -> UInt64 {
        (0..<count).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
    }
}
