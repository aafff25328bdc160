/// A child's stdout or stderr as an async sequence of byte chunks, ending when the child
/// (and everything that inherited the pipe) has closed it. One consumer; reading never
/// blocks a thread (the process monitor reads the pipe and resumes the consumer).
/// Dropping the last reference closes the pipe.
public final class SubprocessOutput: AsyncSequence, Sendable {
    /// A chunk of bytes as read from the pipe (at most 64 KiB).
    public typealias Element = [UInt8]

    let reader: PipeReader

    init(reader: PipeReader) {
        self.reader = reader
    }

    deinit { reader.abandon() }

    /// Iterates the chunks.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let output: SubprocessOutput
        /// The next chunk, or nil at the end of the stream.
        public mutating func next() async -> [UInt8]? { await output.reader.next() }
    }

    /// An iterator over the chunks (one consumer at a time).
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(output: self) }

    /// Reads to the end, keeping the first `limit` bytes and discarding the rest (still
    /// read, so the child never blocks on a full pipe); `truncated` when some were dropped.
    public func collect(upTo limit: Int = .max) async -> (bytes: [UInt8], truncated: Bool) {
        var bytes: [UInt8] = []
        var truncated = false
        for await chunk in self {
            let room = limit - bytes.count
            if chunk.count <= room {
                bytes.append(contentsOf: chunk)
            } else {
                bytes.append(contentsOf: chunk.prefix(Swift.max(0, room)))
                truncated = true
            }
        }
        return (bytes, truncated)
    }

    /// Stops reading and closes this end now; the sequence ends after what was already read.
    public func close() { reader.abandon() }
}
