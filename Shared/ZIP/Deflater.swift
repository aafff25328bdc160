import CZlib

/// Raw deflate (no zlib or gzip wrapper: window bits -15, as ZIP stores it) through zlib,
/// one entry at a time (`reset` between entries), compressed output appended to a buffer
/// the caller hands out.
final class Deflater {
    /// The size of the scratch output buffer.
    private static let scratchSize = 64 * 1024
    private let stream: UnsafeMutablePointer<z_stream>
    private let scratch: UnsafeMutablePointer<UInt8>
    /// Compressed bytes produced since the last reset.
    private(set) var producedBytes: UInt64 = 0

    /// A compressor at `level` (0 stores, 1 fastest … 9 smallest, -1 zlib's default of 6).
    init(level: Int32) throws(ZIPError) {
        // Set up before any stored property: a class initializer that throws after all of
        // them are set runs deinit, which would free these a second time.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = deflateInit2_(stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw ZIPError.compression(status == Z_STREAM_ERROR ? "compression level \(level) is not -1…9" : "deflateInit2 failed (\(status))")
        }
        self.stream = stream
        scratch = .allocate(capacity: Deflater.scratchSize)
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        scratch.deallocate()
    }

    /// Starts a new entry.
    func reset() {
        deflateReset(stream)
        producedBytes = 0
    }

    /// zlib's upper bound on the compressed size of `size` input bytes.
    func bound(_ size: UInt64) -> UInt64 {
        guard size < UInt64(UInt.max / 2) else { return UInt64.max }
        return UInt64(deflateBound(stream, UInt(size)))
    }

    /// Compresses `input` (at most 4 GiB at a time), appending what zlib emits to `output`;
    /// with `finish`, ends the entry's deflate stream.
    func compress(_ input: ArraySlice<UInt8>, finish: Bool, into output: inout [UInt8]) throws(ZIPError) {
        let status: Int32 = input.withUnsafeBufferPointer { buffer in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: buffer.baseAddress)
            stream.pointee.avail_in = UInt32(buffer.count)
            while true {
                stream.pointee.next_out = scratch
                stream.pointee.avail_out = UInt32(Deflater.scratchSize)
                let status = deflate(stream, finish ? Z_FINISH : Z_NO_FLUSH)
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else { return status }
                let produced = Deflater.scratchSize - Int(stream.pointee.avail_out)
                output.append(contentsOf: UnsafeBufferPointer(start: scratch, count: produced))
                producedBytes += UInt64(produced)
                if finish {
                    if status == Z_STREAM_END { return Z_OK }
                    if produced == 0 { return Z_BUF_ERROR }  // no progress: never expected with room to write
                } else if stream.pointee.avail_out != 0 {
                    return Z_OK  // all input taken
                }
            }
        }
        stream.pointee.next_in = nil
        guard status == Z_OK else { throw ZIPError.compression("deflate failed (\(status))") }
    }
}
