import Contracts
import Dispatch
import Foundation
import HTTPCore
import ServiceKit
import Synchronization
import Testing
@testable import Predictor
import TestSupport

// Helpers of the hardening tests (issue 10): a predictor built in-process on a temporary
// DATA_DIR with its log in a file, a disk that fills up, and a write that waits at a gate.

/// An identifier no corpus holds, defined by `identifierFile(_:)`.
func identifierFile(_ name: String) -> String {
    "def \(name)(value):\n    return value * 2\n\n\(name)(3)\n\(name)(4)\n"
}

/// The predictor on a temporary DATA_DIR, its log lines in a file.
struct HardenedPredictor {
    let directory: URL
    let app: Application
    let engine: PredictorEngine
    let metrics: Metrics
    let definition: ServiceDefinition
    let logFile: URL
    let sink: LogSink
    let background: BackgroundWork?

    static let alice = Identity(userID: "u-alice", name: "alice", roles: ["user"])
    static let bob = Identity(userID: "u-bob", name: "bob", roles: ["user"])

    /// A new temporary directory (removed by `remove()`).
    static func temporaryDirectory(_ tag: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pred-hard-\(tag)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Starts a predictor on `directory/data` with a two-file corpus; `configure` adjusts the options.
    static func start(in directory: URL, background: Bool = true,
                      configure: (inout PredictorOptions) -> Void = { _ in }) async throws -> HardenedPredictor {
        let corpus = directory.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        try "import os\n\ndef join_all(parts):\n    return os.path.join(*parts)\n\nprint(os.path.join('a', 'b'))\n"
            .write(to: corpus.appendingPathComponent("paths.py"), atomically: true, encoding: .utf8)
        var options = PredictorOptions(corpusDirectory: corpus, dataDirectory: directory.appendingPathComponent("data"))
        configure(&options)
        let logFile = directory.appendingPathComponent("predictor-\(UUID().uuidString).log")
        let descriptor = open(logFile.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        let sink = LogSink(fd: descriptor)
        let metrics = Metrics()
        let (definition, engine) = try await PredictorService.instance(options, logger: Logger(service: "predictor-test", level: .info, sink: sink),
                                                                       metrics: metrics)
        var work: BackgroundWork?
        if background { work = await definition.startBackground() }
        return HardenedPredictor(directory: directory, app: Application(testing: definition, metrics: metrics), engine: engine,
                                 metrics: metrics, definition: definition, logFile: logFile, sink: sink, background: work)
    }

    var data: URL { directory.appendingPathComponent("data") }

    /// Everything logged so far.
    func log() -> String {
        sink.flush()
        return (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }

    /// `POST /mass_upload` as `who`.
    func upload(_ files: [String: String], workspace: String = "ws", as who: Identity = alice) async -> TestResponse {
        await app.call(.POST, "/mass_upload", identity: who, json: PredictorAPI.MassUploadRequest(workspace: workspace, files: files))
    }

    /// `POST /predict` (JSON) as `who`; the predictions, or [] on an error.
    func predictions(_ file: String, as who: Identity = alice) async -> [String] {
        let response = await app.call(.POST, "/predict", identity: who, json: PredictorAPI.PredictRequest(currentFile: file, n: 5))
        return (try? response.json(PredictorAPI.PredictResponse.self).predictions) ?? []
    }

    /// `uploads_refused_total{reason}`.
    func refused(_ reason: String) -> Double? { metrics.value("uploads_refused_total", labels: [("reason", reason)]) }

    /// Stops the background work.
    func stop() async { await background?.stop() }
}

/// The error body of the seed's envelope.
struct CodeDescription: Decodable {
    var code: Int
    var description: String
}

/// Expects `response` to be `status` with `{"code": status, "description": …containing…}`.
func expectEnvelope(_ response: TestResponse, _ status: Int, contains: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
    let body = try? response.json(CodeDescription.self)
    #expect(body?.code == status, "\(response.text)", sourceLocation: sourceLocation)
    #expect(body?.description.contains(contains) == true, "\(response.text)", sourceLocation: sourceLocation)
}

/// Every file and directory below `root` (root itself included) whose permission bits are
/// not 0700 (directories) or 0600 (files), as `path mode` lines.
func looseModes(under root: URL) -> [String] {
    var loose: [String] = []
    func check(_ path: String) {
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        let mode = status.st_mode & 0o777
        let expected: mode_t = (status.st_mode & S_IFMT) == S_IFDIR ? 0o700 : 0o600
        if mode != expected { loose.append("\(path) \(String(mode, radix: 8))") }
    }
    check(root.path)
    if let entries = FileManager.default.enumerator(atPath: root.path) {
        while let relative = entries.nextObject() as? String { check(root.appendingPathComponent(relative).path) }
    }
    return loose
}

/// Temporary files (of any run) below `root`.
func temporaryFiles(under root: URL) -> [String] {
    guard let entries = FileManager.default.enumerator(atPath: root.path) else { return [] }
    var found: [String] = []
    while let relative = entries.nextObject() as? String {
        if TemporaryFileName.isTemporary((relative as NSString).lastPathComponent) { found.append(relative) }
    }
    return found
}

/// A disk with a number of free bytes: `write(2)` writes at most what is left, then fails
/// with `ENOSPC`, as a real full disk does (a partial write, then the error).
final class FakeDisk: Sendable {
    private let free = Mutex<Int>(.max)

    /// Bytes that may still be written.
    func setFree(_ bytes: Int) { free.withLock { $0 = bytes } }

    /// The `write(2)` stand-in.
    var writeCall: DurableFileWriter.WriteCall {
        { descriptor, bytes in
            let allowed = self.free.withLock { left -> Int in
                let take = min(left, bytes.count)
                left -= take
                return take
            }
            if allowed == 0 && bytes.count > 0 {
                errno = ENOSPC
                return -1
            }
            return DurableFileWriter.systemWrite(descriptor, UnsafeRawBufferPointer(rebasing: bytes[..<allowed]))
        }
    }
}

/// A `write(2)` whose first call waits until the test opens the gate (or a hang guard of
/// two minutes passes: then `forced` is set).
final class WriteGate: Sendable {
    private let entered = DispatchSemaphore(value: 0)
    private let opened = DispatchSemaphore(value: 0)
    private let armed = Atomic<Bool>(true)
    private let wasForced = Atomic<Bool>(false)

    /// Whether the hang guard, not the test, opened the gate.
    var forced: Bool { wasForced.load(ordering: .sequentiallyConsistent) }

    /// The `write(2)` stand-in.
    var writeCall: DurableFileWriter.WriteCall {
        { descriptor, bytes in
            if self.armed.exchange(false, ordering: .sequentiallyConsistent) {
                self.entered.signal()
                if self.opened.wait(timeout: .now() + 120) == .timedOut { self.wasForced.store(true, ordering: .sequentiallyConsistent) }
            }
            return DurableFileWriter.systemWrite(descriptor, bytes)
        }
    }

    /// Waits (off the cooperative pool) until a write is held at the gate; false after two minutes.
    func waitUntilHeld() async -> Bool {
        let entered = self.entered
        return await TestSupport.blocking { entered.wait(timeout: .now() + 120) == .success }
    }

    /// Lets the held write go on.
    func open() { opened.signal() }
}
