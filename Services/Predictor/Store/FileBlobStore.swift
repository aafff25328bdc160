import Foundation
import ServiceKit
import Synchronization

/// The default blob store: files under `root/<user>/<workspace>/<path>`. Every file is first
/// written to a temporary file next to its destination, then all are renamed into place, so a
/// reader never sees a half-written file and a failed upload leaves older versions intact.
///
/// Each user's usage (bytes, files, directories: see `BlobUsage`) is counted from disk on
/// their first upload after a start, then kept up to date; an upload that would take it past
/// `quota` stores nothing (`BlobStoreError.quotaExceeded`). One user's uploads are applied in
/// turn; the disk work runs on a thread of its own, never on the cooperative pool.
/// Directories are created mode 0700, files 0600.
public final class FileBlobStore: BlobStore {
    /// The root directory (`DATA_DIR/blobs`).
    public let root: URL
    /// The most one user may keep.
    public let quota: BlobQuota
    /// Writes the files and creates the directories.
    public let writer: DurableFileWriter
    private let ledgers = Mutex<[String: UserLedger]>([:])

    /// A store under `root` (created as files arrive).
    public init(root: URL, quota: BlobQuota = .unlimited, writer: DurableFileWriter = DurableFileWriter()) {
        self.root = root
        self.quota = quota
        self.writer = writer
    }

    /// The file a key maps to (inputs must be validated).
    public func url(user: String, workspace: String, path: String) -> URL {
        userRoot(user).appendingPathComponent(workspace, isDirectory: true).appendingPathComponent(path, isDirectory: false)
    }

    /// The user's directory.
    public func userRoot(_ user: String) -> URL {
        root.appendingPathComponent(UploadPaths.userComponent(user), isDirectory: true)
    }

    /// Checks the quota, then writes every file to a temporary file beside its destination
    /// and renames them all into place; on any failure the temporary files are removed and
    /// a `BlobStoreError` thrown.
    public func put(user: String, workspace: String, files: [String: [UInt8]]) async throws {
        try UploadPaths.validateWorkspace(workspace)
        for path in files.keys {
            try UploadPaths.validate(path)
            try TemporaryFileName.refuseReserved(path)
        }
        let ledger = ledgers.withLock { all in
            if let existing = all[user] { return existing }
            let created = UserLedger()
            all[user] = created
            return created
        }
        try await DedicatedThread.run(name: "predictor-blob-put") { () throws(BlobStoreError) -> Void in
            ledger.lock.lock()
            defer { ledger.lock.unlock() }
            try self.write(user: user, workspace: workspace, files: files, ledger: ledger)
        }
    }

    /// The user's usage as last counted (nil before their first upload since the start).
    public func usage(user: String) -> BlobUsage? {
        guard let ledger = ledgers.withLock({ $0[user] }) else { return nil }
        ledger.lock.lock()
        defer { ledger.lock.unlock() }
        return ledger.usage
    }

    /// The stored file's bytes, or nil when there is none.
    public func get(user: String, workspace: String, path: String) async throws -> [UInt8]? {
        try UploadPaths.validateWorkspace(workspace)
        try UploadPaths.validate(path)
        guard let contents = FileManager.default.contents(atPath: url(user: user, workspace: workspace, path: path).path) else {
            return nil
        }
        return Array(contents)
    }

    /// Plans the upload against the disk (replaced files, missing directories), checks the
    /// quota, then writes. Runs with the user's ledger locked.
    private func write(user: String, workspace: String, files: [String: [UInt8]], ledger: UserLedger) throws(BlobStoreError) {
        let userRoot = userRoot(user)
        let current = ledger.usage ?? Self.measure(userRoot)
        ledger.usage = current
        var next = current
        var known: [String: Bool] = [userRoot.path: true]  // directory path -> exists
        var missing: [String] = []
        var plan: [(destination: URL, bytes: [UInt8])] = []
        for path in files.keys.sorted() {
            guard let bytes = files[path] else { continue }
            let destination = url(user: user, workspace: workspace, path: path)
            var status = stat()
            if lstat(destination.path, &status) == 0 {
                if (status.st_mode & S_IFMT) == S_IFDIR { throw .clash(path: path) }
                next.bytes -= Int(status.st_size)
                next.files -= 1
            }
            next.bytes += bytes.count
            next.files += 1
            var directory = destination.deletingLastPathComponent().path
            while known[directory] == nil {
                if lstat(directory, &status) == 0 {
                    guard (status.st_mode & S_IFMT) == S_IFDIR else { throw .clash(path: path) }
                    known[directory] = true
                    break
                }
                known[directory] = false
                missing.append(directory)
                directory = (directory as NSString).deletingLastPathComponent
            }
            plan.append((destination, bytes))
        }
        next.directories += missing.count
        if let refusal = quota.exceeded(from: current, to: next) { throw refusal }

        var staged: [(temporary: URL, destination: URL)] = []
        do {
            for directory in Set(plan.map { $0.destination.deletingLastPathComponent() }) {
                try writer.createDirectories(directory)
            }
            for file in plan {
                staged.append((try writer.stage(file.bytes, beside: file.destination, kind: "upload", sync: false), file.destination))
            }
            while let file = staged.first {
                try writer.commit(file.temporary, to: file.destination, syncDirectory: false)
                staged.removeFirst()
            }
        } catch {
            for file in staged { unlink(file.temporary.path) }
            ledger.usage = nil  // counted again from disk on the next upload
            throw .storage(error)
        }
        ledger.usage = next
    }

    /// Counts what `userRoot` holds (temporary files left out).
    static func measure(_ userRoot: URL) -> BlobUsage {
        var usage = BlobUsage()
        let keys: [URLResourceKey] = [.isDirectoryKey, .isRegularFileKey, .fileSizeKey]
        guard let entries = FileManager.default.enumerator(at: userRoot, includingPropertiesForKeys: keys) else { return usage }
        while let entry = entries.nextObject() as? URL {
            guard let values = try? entry.resourceValues(forKeys: Set(keys)) else { continue }
            if values.isDirectory == true {
                usage.directories += 1
            } else if values.isRegularFile == true, !TemporaryFileName.isTemporary(entry.lastPathComponent) {
                usage.files += 1
                usage.bytes += values.fileSize ?? 0
            }
        }
        return usage
    }

    /// One user's usage and the lock that applies their uploads in turn.
    private final class UserLedger: @unchecked Sendable {
        let lock = NSLock()
        var usage: BlobUsage?
    }
}
