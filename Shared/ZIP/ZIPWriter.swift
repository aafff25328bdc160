import CZlib
import Foundation

/// Writes a ZIP archive as a stream, front to back, never seeking: entries are deflated
/// (zlib, raw deflate) in 64 KiB pieces as they are added, and the bytes go to `output`
/// in pieces of about 64 KiB (small records and small entries are gathered into one
/// piece), so memory stays constant whatever the sizes; only the central directory's
/// records (name, sizes, CRC, offset: about 80 bytes an entry) are kept until `finish`.
///
/// Each entry has general purpose bits 3 (sizes and CRC-32 in a data descriptor after the
/// data) and 11 (UTF-8 name), an MS-DOS time (UTC) and an extended timestamp (`UT`) field,
/// Unix mode 0644. ZIP64 is used where needed: an entry whose size or compressed bound
/// reaches 4 GiB is written in ZIP64 form (ZIP64 extra field, 8-byte descriptor sizes), an
/// offset past 4 GiB gets a ZIP64 extra in the central directory, and 65,535 entries or
/// more (or a central directory past 4 GiB) add the ZIP64 end records.
///
/// Calls must not overlap: await each `addFile` before the next and before `finish`
/// (the class is not `Sendable`). A failed write (the output threw, a file could not be
/// read) leaves the archive incomplete; later calls throw `ZIPError.failedEarlier`. An
/// invalid or duplicate name, or a file that cannot be opened, throws before anything is
/// written and the writer stays usable.
public final class ZIPWriter {
    /// The piece size for reading, deflating and handing out bytes.
    public static let chunkSize = 64 * 1024

    private enum State { case open, finished, failed }

    private let output: @Sendable ([UInt8]) async throws -> Void
    private let compressionLevel: Int32
    /// Sizes and offsets from this value up are written in ZIP64 form (0xFFFFFFFF; tests
    /// lower it to exercise ZIP64 with small archives).
    let zip64Threshold: UInt64
    private var deflater: Deflater?
    private var pending: [UInt8] = []
    private var handedOut: UInt64 = 0
    private var records: [ZIPCentralRecord] = []
    private var names: Set<String> = []
    private var state = State.open

    /// A writer handing the archive's bytes to `output` in order; `compressionLevel` is
    /// zlib's (0 stores, 1 fastest … 9 smallest).
    public convenience init(output: @escaping @Sendable ([UInt8]) async throws -> Void, compressionLevel: Int32 = 6) {
        self.init(output: output, compressionLevel: compressionLevel, zip64Threshold: 0xFFFF_FFFF)
    }

    /// A writer using ZIP64 forms from `zip64Threshold` up (for tests).
    init(output: @escaping @Sendable ([UInt8]) async throws -> Void, compressionLevel: Int32, zip64Threshold: UInt64) {
        self.output = output
        self.compressionLevel = compressionLevel
        self.zip64Threshold = min(zip64Threshold, 0xFFFF_FFFF)
    }

    /// The number of entries added so far.
    public var entryCount: Int { records.count }

    /// The offset of the next byte: bytes handed out plus bytes gathered.
    private var offset: UInt64 { handedOut + UInt64(pending.count) }

    /// Adds a file holding `contents` under `path` (relative, `/`-separated).
    public func addFile(path: String, modified: Date, contents: [UInt8]) async throws {
        let name = try admit(path)
        var start = 0
        try await writeEntry(path: path, name: name, modified: modified, size: UInt64(contents.count)) { () throws(ZIPError) -> ArraySlice<UInt8>? in
            guard start < contents.count else { return nil }
            let end = min(start + ZIPWriter.chunkSize, contents.count)
            defer { start = end }
            return contents[start..<end]
        }
    }

    /// Adds the regular file at `file` under `path`, read and deflated in 64 KiB pieces.
    /// The file's size is taken when it is opened; a file that shrinks meanwhile fails
    /// the archive, bytes appended meanwhile are not read.
    public func addFile(path: String, modified: Date, reading file: URL) async throws {
        let name = try admit(path)
        let source = try ZIPFileSource(file)
        var remaining = source.size
        try await writeEntry(path: path, name: name, modified: modified, size: source.size) { () throws(ZIPError) -> ArraySlice<UInt8>? in
            guard remaining > 0 else { return nil }
            let chunk = try source.read(upTo: Int(min(UInt64(ZIPWriter.chunkSize), remaining)))
            guard !chunk.isEmpty else { throw ZIPError.fileChanged(path: source.path) }
            remaining -= UInt64(chunk.count)
            return chunk[...]
        }
    }

    /// Writes the central directory and the end records (ZIP64 ones when needed) and
    /// hands out the last bytes. The writer takes nothing more afterwards.
    public func finish() async throws {
        try checkOpen()
        try await guarded {
            let centralStart = offset
            for record in records {
                appendCentralHeader(record)
                if pending.count >= ZIPWriter.chunkSize { try await flush() }
            }
            let centralSize = offset - centralStart
            let count = UInt64(records.count)
            let countOverflows = count >= 0xFFFF
            let sizeOverflows = centralSize >= zip64Threshold
            let startOverflows = centralStart >= zip64Threshold
            if countOverflows || sizeOverflows || startOverflows {
                let zip64EndOffset = offset
                pending.appendLittleEndian(UInt32(0x0606_4B50))
                pending.appendLittleEndian(UInt64(44))          // size of the rest of this record
                pending.appendLittleEndian(UInt16(0x0300 | 45)) // made by: Unix, 4.5
                pending.appendLittleEndian(UInt16(45))          // needed: 4.5 (ZIP64)
                pending.appendLittleEndian(UInt32(0))           // this disk
                pending.appendLittleEndian(UInt32(0))           // disk with the central directory
                pending.appendLittleEndian(count)               // entries on this disk
                pending.appendLittleEndian(count)               // entries
                pending.appendLittleEndian(centralSize)
                pending.appendLittleEndian(centralStart)
                pending.appendLittleEndian(UInt32(0x0706_4B50)) // ZIP64 end locator
                pending.appendLittleEndian(UInt32(0))           // disk with the ZIP64 end record
                pending.appendLittleEndian(zip64EndOffset)
                pending.appendLittleEndian(UInt32(1))           // disks
            }
            pending.appendLittleEndian(UInt32(0x0605_4B50))
            pending.appendLittleEndian(UInt16(0))               // this disk
            pending.appendLittleEndian(UInt16(0))               // disk with the central directory
            let shortCount = countOverflows ? UInt16(0xFFFF) : UInt16(count)
            pending.appendLittleEndian(shortCount)
            pending.appendLittleEndian(shortCount)
            pending.appendLittleEndian(sizeOverflows ? UInt32(0xFFFF_FFFF) : UInt32(centralSize))
            pending.appendLittleEndian(startOverflows ? UInt32(0xFFFF_FFFF) : UInt32(centralStart))
            pending.appendLittleEndian(UInt16(0))               // comment length
            try await flush()
            state = .finished
            deflater = nil
        }
    }

    /// Checks `path` and reserves it; throws before anything is written.
    private func admit(_ path: String) throws(ZIPError) -> [UInt8] {
        try checkOpen()
        let name = try ZIPEntryName.validated(path)
        guard !names.contains(path) else { throw ZIPError.duplicateName(path) }
        return name
    }

    /// Throws unless entries may still be added.
    private func checkOpen() throws(ZIPError) {
        switch state {
        case .open: return
        case .finished: throw ZIPError.finished
        case .failed: throw ZIPError.failedEarlier
        }
    }

    /// Runs `body`; any error it throws leaves the writer failed.
    private func guarded(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            state = .failed
            throw error
        }
    }

    /// Writes one entry: local header, deflated data from `nextChunk` (nil at the end),
    /// data descriptor.
    private func writeEntry(path: String, name: [UInt8], modified: Date, size: UInt64,
                            nextChunk: () throws(ZIPError) -> ArraySlice<UInt8>?) async throws {
        let deflater = try self.deflater ?? Deflater(level: compressionLevel)
        self.deflater = deflater
        names.insert(path)
        try await guarded {
            deflater.reset()
            let zip64 = size >= zip64Threshold || deflater.bound(size) >= zip64Threshold
            let timestamp = DOSTimestamp(modified)
            let localHeaderOffset = offset
            appendLocalHeader(name: name, timestamp: timestamp, zip64: zip64)
            var crc = crc32(0, nil, 0)
            var uncompressedSize: UInt64 = 0
            while let chunk = try nextChunk() {
                crc = chunk.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, UInt32($0.count)) }
                uncompressedSize += UInt64(chunk.count)
                try deflater.compress(chunk, finish: false, into: &pending)
                if pending.count >= ZIPWriter.chunkSize { try await flush() }
            }
            try deflater.compress([], finish: true, into: &pending)
            guard zip64 || (deflater.producedBytes < 0xFFFF_FFFF && uncompressedSize < 0xFFFF_FFFF) else {
                throw ZIPError.compression("the entry outgrew 32-bit sizes past zlib's bound")
            }
            let record = ZIPCentralRecord(name: name, timestamp: timestamp, crc: UInt32(truncatingIfNeeded: crc),
                                          compressedSize: deflater.producedBytes, uncompressedSize: uncompressedSize,
                                          localHeaderOffset: localHeaderOffset, zip64: zip64)
            pending.appendLittleEndian(UInt32(0x0807_4B50))
            pending.appendLittleEndian(record.crc)
            if zip64 {
                pending.appendLittleEndian(record.compressedSize)
                pending.appendLittleEndian(record.uncompressedSize)
            } else {
                pending.appendLittleEndian(UInt32(record.compressedSize))
                pending.appendLittleEndian(UInt32(record.uncompressedSize))
            }
            records.append(record)
            if pending.count >= ZIPWriter.chunkSize { try await flush() }
        }
    }

    /// The local file header: sizes and CRC wait for the data descriptor (zero here; in
    /// ZIP64 form 0xFFFFFFFF with a ZIP64 extra field of zeros, as APPNOTE 4.5.3 asks).
    private func appendLocalHeader(name: [UInt8], timestamp: DOSTimestamp, zip64: Bool) {
        pending.appendLittleEndian(UInt32(0x0403_4B50))
        pending.appendLittleEndian(UInt16(zip64 ? 45 : 20))     // version needed
        pending.appendLittleEndian(UInt16(0x0808))              // data descriptor, UTF-8 name
        pending.appendLittleEndian(UInt16(8))                   // deflate
        pending.appendLittleEndian(timestamp.time)
        pending.appendLittleEndian(timestamp.date)
        pending.appendLittleEndian(UInt32(0))                   // CRC-32: in the descriptor
        pending.appendLittleEndian(zip64 ? UInt32(0xFFFF_FFFF) : 0)
        pending.appendLittleEndian(zip64 ? UInt32(0xFFFF_FFFF) : 0)
        pending.appendLittleEndian(UInt16(name.count))
        pending.appendLittleEndian(UInt16((zip64 ? 20 : 0) + 9))
        pending.append(contentsOf: name)
        if zip64 {
            pending.appendLittleEndian(UInt16(0x0001))
            pending.appendLittleEndian(UInt16(16))
            pending.appendLittleEndian(UInt64(0))               // size
            pending.appendLittleEndian(UInt64(0))               // compressed size
        }
        appendTimestampField(timestamp)
    }

    /// The central directory header of `record`.
    private func appendCentralHeader(_ record: ZIPCentralRecord) {
        let zip64Sizes = record.zip64
        let zip64Offset = record.localHeaderOffset >= zip64Threshold
        var zip64Field: [UInt8] = []
        if zip64Sizes {
            zip64Field.appendLittleEndian(record.uncompressedSize)
            zip64Field.appendLittleEndian(record.compressedSize)
        }
        if zip64Offset { zip64Field.appendLittleEndian(record.localHeaderOffset) }
        let version = UInt16(zip64Sizes || zip64Offset ? 45 : 20)
        pending.appendLittleEndian(UInt32(0x0201_4B50))
        pending.appendLittleEndian(0x0300 | version)            // made by: Unix
        pending.appendLittleEndian(version)                     // needed
        pending.appendLittleEndian(UInt16(0x0808))
        pending.appendLittleEndian(UInt16(8))
        pending.appendLittleEndian(record.timestamp.time)
        pending.appendLittleEndian(record.timestamp.date)
        pending.appendLittleEndian(record.crc)
        pending.appendLittleEndian(zip64Sizes ? UInt32(0xFFFF_FFFF) : UInt32(record.compressedSize))
        pending.appendLittleEndian(zip64Sizes ? UInt32(0xFFFF_FFFF) : UInt32(record.uncompressedSize))
        pending.appendLittleEndian(UInt16(record.name.count))
        pending.appendLittleEndian(UInt16((zip64Field.isEmpty ? 0 : 4 + zip64Field.count) + 9))
        pending.appendLittleEndian(UInt16(0))                   // comment length
        pending.appendLittleEndian(UInt16(0))                   // disk
        pending.appendLittleEndian(UInt16(0))                   // internal attributes
        pending.appendLittleEndian(UInt32(0o100644) << 16)      // external: regular file, rw-r--r--
        pending.appendLittleEndian(zip64Offset ? UInt32(0xFFFF_FFFF) : UInt32(record.localHeaderOffset))
        pending.append(contentsOf: record.name)
        if !zip64Field.isEmpty {
            pending.appendLittleEndian(UInt16(0x0001))
            pending.appendLittleEndian(UInt16(zip64Field.count))
            pending.append(contentsOf: zip64Field)
        }
        appendTimestampField(record.timestamp)
    }

    /// The extended timestamp field (`UT`, 0x5455) with the modification time.
    private func appendTimestampField(_ timestamp: DOSTimestamp) {
        pending.appendLittleEndian(UInt16(0x5455))
        pending.appendLittleEndian(UInt16(5))
        pending.append(1)                                       // modification time present
        pending.appendLittleEndian(UInt32(bitPattern: timestamp.unixSeconds))
    }

    /// Hands the gathered bytes to the output.
    private func flush() async throws {
        guard !pending.isEmpty else { return }
        let piece = pending
        pending = []
        pending.reserveCapacity(ZIPWriter.chunkSize * 2)
        handedOut += UInt64(piece.count)
        try await output(piece)
    }
}
