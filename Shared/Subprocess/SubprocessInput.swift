/// A child's stdin: ordered async writes that suspend (never block a thread) while the
/// pipe is full. Dropping the last reference closes it.
public final class SubprocessInput: Sendable {
    let writer: PipeWriter

    init(writer: PipeWriter) {
        self.writer = writer
    }

    deinit { writer.close() }

    /// Writes all of `bytes`; throws `SubprocessError.brokenPipe` once the child has
    /// closed its end (or exited) or after `close()`.
    public func write(_ bytes: [UInt8]) async throws {
        try await writer.write(bytes)
    }

    /// Writes the UTF-8 bytes of `text`.
    public func write(_ text: String) async throws {
        try await writer.write(Array(text.utf8))
    }

    /// Closes the pipe once everything written so far has gone through (the child sees
    /// end of file). Later writes throw.
    public func close() { writer.close() }

    /// Closes the pipe now, failing writes still in progress.
    public func abandon() { writer.abandon() }
}
