// zip-bench: archives one file with ZIPWriter (streamed from disk) into an output file and
// prints the wall time, CPU time and peak resident memory. deploy/bench/zip/bench.sh runs
// it on a 4.5 GiB file and checks the archive with unzip -t and Python's zipfile.
import Foundation
import ZIP
#if canImport(Glibc)
import Glibc
#endif

/// The benchmark's entry point.
@main
struct ZIPBench {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 3 else {
            FileHandle.standardError.write(Data("usage: zip-bench <input file> <output archive>\n".utf8))
            exit(2)
        }
        let input = URL(fileURLWithPath: arguments[1])
        let descriptor = open(arguments[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            FileHandle.standardError.write(Data("cannot create \(arguments[2])\n".utf8))
            exit(1)
        }
        let clock = ContinuousClock()
        let start = clock.now
        let cpuBefore = usage().cpuSeconds
        let writer = ZIPWriter(output: { piece in try writeAll(piece, to: descriptor) })
        try await writer.addFile(path: input.lastPathComponent, modified: Date(), reading: input)
        try await writer.finish()
        close(descriptor)
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let (cpuAfter, peakKiB) = usage()
        let inputBytes = Double(size(of: input.path))
        let outputBytes = Double(size(of: arguments[2]))
        print(String(format: "zip-bench: %.2f GiB in %.1f s (%.0f MiB/s), cpu %.1f s, archive %.1f MiB, peak RSS %.1f MiB",
                     inputBytes / 1_073_741_824, seconds, inputBytes / 1_048_576 / seconds,
                     cpuAfter - cpuBefore, outputBytes / 1_048_576, Double(peakKiB) / 1024))
    }

    /// Writes every byte of `piece` to `descriptor`.
    static func writeAll(_ piece: [UInt8], to descriptor: Int32) throws {
        var written = 0
        while written < piece.count {
            let result = piece.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, piece.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            written += result
        }
    }

    /// User plus system CPU seconds and the peak resident set in KiB, from getrusage.
    static func usage() -> (cpuSeconds: Double, peakKiB: Int) {
        var record = rusage()
        getrusage(RUSAGE_SELF.rawValue, &record)
        let cpu = Double(record.ru_utime.tv_sec + record.ru_stime.tv_sec)
            + Double(record.ru_utime.tv_usec + record.ru_stime.tv_usec) / 1_000_000
        return (cpu, record.ru_maxrss)
    }

    /// The size of the file at `path` in bytes.
    static func size(of path: String) -> Int64 {
        var status = stat()
        return stat(path, &status) == 0 ? Int64(status.st_size) : 0
    }
}
