import Foundation

/// Writes files the predictor keeps so that a reader (or a restart) sees either the old
/// version or the new one, never a part: the bytes go to a temporary file beside the
/// destination (mode 0600, named by `TemporaryFileName`), are optionally `fsync`ed, then
/// renamed over the destination (and the directory synced). A failure removes the
/// temporary file and leaves the old version in place; it is thrown as `StorageWriteError`
/// with the `errno` (a full disk is `isOutOfSpace`). Directories are created mode 0700.
///
/// Blocking system calls: call it off the cooperative pool (`DedicatedThread`).
public struct DurableFileWriter: Sendable {
    /// The `write(2)` call: bytes written, or -1 with `errno` set. Tests stand in a full disk.
    public typealias WriteCall = @Sendable (_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int

    /// The system's `write(2)`.
    public static let systemWrite: WriteCall = { descriptor, bytes in
        guard let base = bytes.baseAddress else { return 0 }
        return Foundation.write(descriptor, base, bytes.count)
    }

    /// This process run's token, part of every temporary name (see `TemporaryFileName`).
    public let run: String
    /// How bytes reach a descriptor.
    public let writeCall: WriteCall

    /// A writer for the process run `run`.
    public init(run: String = TemporaryFileName.newRunToken(), writeCall: @escaping WriteCall = DurableFileWriter.systemWrite) {
        self.run = run
        self.writeCall = writeCall
    }

    /// Creates `directory` and its missing parents, each mode 0700; returns how many were
    /// created. A path component that exists but is not a directory is `ENOTDIR`.
    @discardableResult
    public func createDirectories(_ directory: URL) throws(StorageWriteError) -> Int {
        try createDirectories(path: directory.path)
    }

    private func createDirectories(path: String) throws(StorageWriteError) -> Int {
        if mkdir(path, 0o700) == 0 { return 1 }
        let code = errno
        switch code {
        case EEXIST:
            var status = stat()
            guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else {
                throw StorageWriteError(path: path, operation: "mkdir", code: ENOTDIR)
            }
            return 0
        case ENOENT:
            let parent = (path as NSString).deletingLastPathComponent
            guard !parent.isEmpty, parent != path else { throw StorageWriteError(path: path, operation: "mkdir", code: code) }
            let created = try createDirectories(path: parent)
            guard mkdir(path, 0o700) == 0 || errno == EEXIST else { throw StorageWriteError(path: path, operation: "mkdir", code: errno) }
            return created + 1
        default:
            throw StorageWriteError(path: path, operation: "mkdir", code: code)
        }
    }

    /// Writes `bytes` to a new temporary file of `kind` beside `destination` (whose
    /// directory must exist) and returns it; `sync` makes the bytes durable first. On
    /// failure the temporary file is removed.
    public func stage(_ bytes: some ContiguousBytes, beside destination: URL, kind: String, sync: Bool) throws(StorageWriteError) -> URL {
        let temporary = destination.deletingLastPathComponent().appendingPathComponent(TemporaryFileName.make(kind: kind, run: run))
        let path = temporary.path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StorageWriteError(path: path, operation: "open", code: errno) }
        var failure: StorageWriteError?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = writeCall(descriptor, UnsafeRawBufferPointer(rebasing: buffer[offset...]))
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = StorageWriteError(path: path, operation: "write", code: errno)
                    return
                }
                if written == 0 { failure = StorageWriteError(path: path, operation: "write", code: EIO); return }
                offset += written
            }
        }
        if failure == nil, sync, fsync(descriptor) != 0 { failure = StorageWriteError(path: path, operation: "fsync", code: errno) }
        if close(descriptor) != 0, failure == nil, errno != EINTR { failure = StorageWriteError(path: path, operation: "close", code: errno) }
        if let failure {
            unlink(path)
            throw failure
        }
        return temporary
    }

    /// Renames a staged file over `destination`; `syncDirectory` makes the rename durable.
    /// On failure the staged file is removed and the destination is untouched.
    public func commit(_ temporary: URL, to destination: URL, syncDirectory: Bool) throws(StorageWriteError) {
        guard rename(temporary.path, destination.path) == 0 else {
            let code = errno
            unlink(temporary.path)
            throw StorageWriteError(path: destination.path, operation: "rename", code: code)
        }
        if syncDirectory {
            let directory = open(destination.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if directory >= 0 {
                fsync(directory)
                close(directory)
            }
        }
    }

    /// Replaces `destination` with `bytes` durably (temporary file, fsync, rename, directory
    /// fsync), creating its directory if needed. The old version stays until the new one
    /// is complete on disk.
    public func replace(_ destination: URL, with bytes: some ContiguousBytes, kind: String) throws(StorageWriteError) {
        try createDirectories(destination.deletingLastPathComponent())
        let temporary = try stage(bytes, beside: destination, kind: kind, sync: true)
        try commit(temporary, to: destination, syncDirectory: true)
    }
}
