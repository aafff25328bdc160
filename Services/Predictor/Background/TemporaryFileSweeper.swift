import Foundation
import ServiceKit

/// Removes the temporary files an earlier process left under `DATA_DIR` (a crash or
/// `kill -9` between writing a file and renaming it into place: `.upload-*.tmp` in the blob
/// store, `.model-*.tmp` beside model files). Runs once at start-up, in the background on a
/// thread of its own; files of the current run (their names carry its token) are left alone,
/// so uploads may run meanwhile. Logs how many it removed and counts them in
/// `temporary_files_swept_total`.
struct TemporaryFileSweeper: BackgroundService {
    /// The name in logs.
    let name = "temporary-file-sweep"
    /// The directory swept (`DATA_DIR`).
    let root: URL
    /// This run's token (see `TemporaryFileName`).
    let currentRun: String
    /// Where the count goes.
    let logger: Logger
    /// `temporary_files_swept_total`.
    let metrics: Metrics

    /// Sweeps once, then returns.
    func run() async {
        let root = self.root
        let run = currentRun
        let started = ContinuousClock.now
        let (removed, failed) = await DedicatedThread.run(name: "predictor-sweep") { Self.sweep(root, currentRun: run) }
        metrics.increment("temporary_files_swept_total", help: "Temporary files of earlier runs removed at start-up", by: Double(removed))
        let fields: [(String, any Sendable)] = [("removed", removed), ("failed", failed), ("directory", root.path),
                                                ("ms", (ContinuousClock.now - started).milliseconds)]
        if failed > 0 { logger.warning("temporary files swept; some could not be removed", fields) } else { logger.info("temporary files swept", fields) }
    }

    /// Removes every orphaned temporary file below `root`; returns how many were removed and
    /// how many could not be.
    static func sweep(_ root: URL, currentRun run: String) -> (removed: Int, failed: Int) {
        var removed = 0
        var failed = 0
        let keys: [URLResourceKey] = [.isRegularFileKey]
        guard let entries = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys) else { return (0, 0) }
        while let entry = entries.nextObject() as? URL {
            guard TemporaryFileName.isOrphan(entry.lastPathComponent, currentRun: run),
                  (try? entry.resourceValues(forKeys: Set(keys)))?.isRegularFile == true else { continue }
            if unlink(entry.path) == 0 { removed += 1 } else { failed += 1 }
        }
        return (removed, failed)
    }
}
