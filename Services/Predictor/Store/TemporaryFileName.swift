import Foundation
import ServiceKit

/// Names of the temporary files the predictor writes before renaming them into place:
/// `.<kind>-<run>-<UUID>.tmp`, where `run` is a random token of the process that wrote it.
/// A file named so that does not carry the current run's token was left by an earlier
/// process (a crash or `kill -9` between write and rename) and may be removed.
/// Names of the form `.upload-*.tmp` and `.model-*.tmp` are reserved: uploads may not use them.
public enum TemporaryFileName {
    /// The kinds of temporary file, as name prefixes (without the dot).
    public static let kinds = ["upload", "model"]

    /// A fresh temporary name of `kind` for the process run `run`.
    public static func make(kind: String, run: String) -> String {
        ".\(kind)-\(run)-\(UUID().uuidString).tmp"
    }

    /// A random token for one process run (8 lowercase hex digits).
    public static func newRunToken() -> String {
        String(UInt32.random(in: .min ... .max), radix: 16)
    }

    /// Whether `name` (one path component) is a temporary file's name of any run.
    public static func isTemporary(_ name: String) -> Bool {
        guard name.hasSuffix(".tmp") else { return false }
        return kinds.contains { name.hasPrefix(".\($0)-") }
    }

    /// Whether `name` is a temporary file of a run other than `run` (an orphan).
    public static func isOrphan(_ name: String, currentRun run: String) -> Bool {
        isTemporary(name) && !kinds.contains { name.hasPrefix(".\($0)-\(run)-") }
    }

    /// Throws unless the last component of the upload path `path` is free of the reserved
    /// temporary names (an upload named so would be swept as an orphan at the next start).
    public static func refuseReserved(_ path: String) throws(UploadPathError) {
        if let last = path.split(separator: "/").last, isTemporary(String(last)) {
            throw UploadPathError(path: path, reason: "names like '.upload-*.tmp' and '.model-*.tmp' are reserved for the store's temporary files")
        }
    }
}
