import Foundation
import Subprocess

/// Finds the training corpus (a directory of `.py` files) and trains/caches the base model.
public struct BaseCorpus: Sendable {
    /// Root directory scanned recursively for `.py` files.
    public var root: URL
    /// Directory names skipped anywhere below `root`.
    public var excludedDirectories: Set<String>
    /// Files larger than this many bytes are skipped (generated data tables).
    public var maxFileBytes: Int

    /// Directories excluded by default: tests, third-party packages, IDLE, demo and tool trees.
    public static let defaultExclusions: Set<String> = [
        "test", "tests", "site-packages", "dist-packages", "idlelib", "__pycache__", "lib2to3",
        "turtledemo", "Tools", "ensurepip", "pydoc_data", "config-3.11-x86_64-linux-gnu",
    ]

    /// Creates a corpus description.
    public init(root: URL, excludedDirectories: Set<String> = BaseCorpus.defaultExclusions, maxFileBytes: Int = 400_000) {
        self.root = root
        self.excludedDirectories = excludedDirectories
        self.maxFileBytes = maxFileBytes
    }

    /// The standard library of the machine's `python3` (found on this process's `PATH`),
    /// or nil when it cannot be found.
    public static func pythonStandardLibrary() async -> URL? {
        let spec = ProcessSpec(executable: "/usr/bin/env",
                               arguments: ["python3", "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
                               environment: ProcessSpec.currentEnvironment)
        guard let result = try? await Subprocess.run(spec, outputLimit: 64 * 1024, timeout: .seconds(60)),
              result.status.isSuccess else { return nil }
        let path = result.outputText.trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : URL(fileURLWithPath: path)
    }

    /// All `.py` files of the corpus, sorted for determinism.
    public func files() -> [URL] {
        let fm = FileManager.default
        guard let en = fm.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey, .fileSizeKey],
                                     options: [.skipsHiddenFiles]) else { return [] }
        var out: [URL] = []
        while let u = en.nextObject() as? URL {
            let vals = try? u.resourceValues(forKeys: [.isDirectoryKey, .fileSizeKey])
            if vals?.isDirectory == true {
                if excludedDirectories.contains(u.lastPathComponent) { en.skipDescendants() }
                continue
            }
            guard u.pathExtension == "py", (vals?.fileSize ?? 0) <= maxFileBytes else { continue }
            out.append(u)
        }
        return out.sorted { $0.path < $1.path }
    }

    /// Trains a model on every corpus file.
    public func train(order: Int = 4) -> NGramModel {
        var trainer = NGramTrainer(order: order)
        for f in files() {
            guard let d = try? Data(contentsOf: f) else { continue }
            trainer.add(source: String(decoding: d, as: UTF8.self))
        }
        return trainer.build()
    }

    /// Loads the cached model at `cache`, or trains one and writes the cache with `writer`
    /// (temporary file, fsync, rename). A cache that cannot be written (`cacheError`) is
    /// trained again at the next start; the model is used either way.
    public func loadOrTrain(cache: URL, order: Int = 4,
                            writer: DurableFileWriter = DurableFileWriter()) -> (model: NGramModel, cacheError: StorageWriteError?) {
        if let d = try? Data(contentsOf: cache), let m = try? NGramModel(serialized: d), m.order == order {
            return (m, nil)
        }
        let m = train(order: order)
        do {
            try writer.replace(cache, with: m.serialized(), kind: "model")
            return (m, nil)
        } catch {
            return (m, error)
        }
    }
}
