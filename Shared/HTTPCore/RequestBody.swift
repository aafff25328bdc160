/// A request (or client response) body: buffered bytes, or a stream of chunks
/// delivered as they arrive from the socket, with back-pressure.
public struct RequestBody: Sendable, AsyncSequence {
    public typealias Element = [UInt8]
    enum Storage: Sendable {
        case bytes([UInt8])
        case stream(BodyStream)
    }
    let storage: Storage

    /// An empty body.
    public static let empty = RequestBody(storage: .bytes([]))

    /// A body of these bytes.
    public static func bytes(_ b: [UInt8]) -> RequestBody { RequestBody(storage: .bytes(b)) }

    init(storage: Storage) { self.storage = storage }

    /// The bytes when the whole body was already received with the head.
    public var buffered: [UInt8]? { if case .bytes(let b) = storage { return b }; return nil }

    /// Reads the whole body; throws `BodyTooLargeError` past `limit` bytes.
    public func collect(upTo limit: Int) async throws -> [UInt8] {
        switch storage {
        case .bytes(let b):
            if b.count > limit { throw BodyTooLargeError(limit: limit) }
            return b
        case .stream(let s):
            var out: [UInt8] = []
            while let chunk = try await s.next() {
                if out.count + chunk.count > limit { throw BodyTooLargeError(limit: limit) }
                if out.isEmpty { out = chunk } else { out.append(contentsOf: chunk) }
            }
            return out
        }
    }

    public func makeAsyncIterator() -> Iterator { Iterator(storage: storage) }

    /// Yields the body's chunks in order.
    public struct Iterator: AsyncIteratorProtocol {
        var storage: Storage
        var done = false
        public mutating func next() async throws -> [UInt8]? {
            if done { return nil }
            switch storage {
            case .bytes(let b):
                done = true
                return b.isEmpty ? nil : b
            case .stream(let s):
                let c = try await s.next()
                if c == nil { done = true }
                return c
            }
        }
    }
}

/// Thrown by `collect(upTo:)` when a body exceeds its limit.
public struct BodyTooLargeError: Error, Sendable {
    /// The limit that was passed.
    public let limit: Int
}

/// A single-consumer byte stream filled by an event loop. All state is touched on the
/// loop thread only; the consumer's `next()` hops there.
final class BodyStream: @unchecked Sendable {
    let loop: EventLoop
    private var chunks: [[UInt8]] = []
    private var head = 0
    private var buffered = 0
    private var finished = false
    private var failure: Error?
    private var waiter: CheckedContinuation<[UInt8]?, Error>?
    /// Called (on the loop) when the consumer first asks for data (for 100-continue).
    var onFirstDemand: (() -> Void)?
    /// Called (on the loop) when buffered data drops below the low-water mark.
    var onDrained: (() -> Void)?
    let highWater: Int
    private(set) var consumedAll = false

    /// Called when the stream is dropped by its consumer before the producer finished
    /// (the HTTP client closes the connection then instead of reusing it).
    var onAbandon: (@Sendable () -> Void)?

    init(loop: EventLoop, highWater: Int = 256 * 1024) {
        self.loop = loop
        self.highWater = highWater
    }

    deinit {
        if !finished, let f = onAbandon { f() }
    }

    /// Whether the producer should stop reading (loop thread).
    var isFull: Bool { buffered >= highWater }

    /// Producer: appends a chunk (loop thread).
    func push(_ bytes: [UInt8]) {
        guard !bytes.isEmpty, !finished else { return }
        if let w = waiter {
            waiter = nil
            w.resume(returning: bytes)
            return
        }
        chunks.append(bytes)
        buffered += bytes.count
    }

    /// Producer: marks the end (loop thread).
    func finish() {
        guard !finished else { return }
        finished = true
        if let w = waiter { waiter = nil; consumedAll = true; w.resume(returning: nil) }
    }

    /// Producer: fails the stream (loop thread).
    func fail(_ error: Error) {
        guard !finished else { return }
        finished = true
        failure = error
        if let w = waiter { waiter = nil; w.resume(throwing: error) }
    }

    /// Whether the producer has finished (loop thread).
    var isFinished: Bool { finished }

    /// Consumer: the next chunk, nil at the end.
    func next() async throws -> [UInt8]? {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<[UInt8]?, Error>) in
            if loop.inLoop { take(c) } else { loop.execute { self.take(c) } }
        }
    }

    private func take(_ c: CheckedContinuation<[UInt8]?, Error>) {
        if let f = onFirstDemand { onFirstDemand = nil; f() }
        if head < chunks.count {
            let chunk = chunks[head]
            head += 1
            if head == chunks.count { chunks.removeAll(keepingCapacity: true); head = 0 }
            let wasFull = isFull
            buffered -= chunk.count
            if wasFull && !isFull { onDrained?() }
            c.resume(returning: chunk)
            return
        }
        if let failure { c.resume(throwing: failure); return }
        if finished { consumedAll = true; c.resume(returning: nil); return }
        if waiter != nil { c.resume(throwing: ConcurrentReadError()); return }
        waiter = c
        onDrained?()
    }
}

/// Thrown when two readers read one body at once.
public struct ConcurrentReadError: Error, Sendable {}
