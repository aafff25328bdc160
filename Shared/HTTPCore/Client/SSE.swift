/// One Server-Sent Event.
public struct SSEEvent: Sendable, Equatable {
    /// The event type (`event:`), "message" when not given.
    public var event: String
    /// The data lines joined with `\n`.
    public var data: String
    /// The last event ID (`id:`) seen so far in the stream, if any.
    public var id: String?
    /// The reconnection time in milliseconds (`retry:`), when this event carried one.
    public var retry: Int?

    public init(event: String = "message", data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }
}

/// One frame of a `text/event-stream` as it arrived (`SSEParser.feedFrames`): its bytes,
/// and the event it completed, if it completed one.
public struct SSEFrame: Sendable, Equatable {
    /// The frame's bytes, exactly as received (its fields and the blank line ending it).
    public var bytes: [UInt8]
    /// The event the frame dispatched (nil: only comments, or fields without `data`).
    public var event: SSEEvent?

    /// A frame.
    public init(bytes: [UInt8], event: SSEEvent?) {
        self.bytes = bytes
        self.event = event
    }
}

/// An incremental `text/event-stream` parser (WHATWG HTML §9.2.6): feed it bytes as
/// they arrive, split anywhere; it returns the events completed so far.
public struct SSEParser: Sendable {
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var sawBOMCheck = false
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType: String? = nil
    private var lastID: String? = nil
    private var retry: Int? = nil
    /// `feedFrames`: the bytes of the frame being read (since the last dispatch point).
    private var frameBytes: [UInt8] = []

    public init() {}

    /// Consumes bytes like `feed`, returning the frames they completed: each frame is the
    /// exact bytes from the end of the previous one up to and including the blank line that
    /// ends it, with the event it dispatched (nil for a frame of comments or fields without
    /// data). Sending every frame's bytes in order reproduces the stream exactly, so a proxy
    /// can pass events on unchanged while reading them (and drop or replace single ones).
    public mutating func feedFrames(_ bytes: some Sequence<UInt8>) -> [SSEFrame] {
        var frames: [SSEFrame] = []
        var out: [SSEEvent] = []
        for b in bytes {
            frameBytes.append(b)
            let dispatched: Bool
            if b == 0x0A {
                if lastWasCR { lastWasCR = false; continue }
                dispatched = endLine(&out)
            } else if b == 0x0D {
                lastWasCR = true
                dispatched = endLine(&out)
            } else {
                lastWasCR = false
                line.append(b)
                continue
            }
            guard dispatched else { continue }
            frames.append(SSEFrame(bytes: frameBytes, event: out.popLast()))
            out.removeAll(keepingCapacity: true)
            frameBytes.removeAll(keepingCapacity: true)
        }
        return frames
    }

    /// The bytes of an unfinished frame at the end of the stream (an event without its
    /// blank line is discarded by the parser, but a proxy still passes its bytes on).
    public mutating func finishFrames() -> [UInt8] {
        _ = finish()
        defer { frameBytes.removeAll() }
        return frameBytes
    }

    /// Consumes bytes; returns the events they completed.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [SSEEvent] {
        var out: [SSEEvent] = []
        for b in bytes {
            if b == 0x0A {
                if lastWasCR { lastWasCR = false; continue }  // the LF of a CRLF
                endLine(&out)
            } else if b == 0x0D {
                lastWasCR = true
                endLine(&out)
            } else {
                lastWasCR = false
                line.append(b)
            }
        }
        return out
    }

    /// The end of the stream: an unterminated event is discarded (per the spec).
    public mutating func finish() -> [SSEEvent] {
        line.removeAll()
        data.removeAll()
        hasData = false
        eventType = nil
        return []
    }

    /// Ends a line; true when it was blank (the dispatch point that ends a frame).
    @discardableResult
    private mutating func endLine(_ out: inout [SSEEvent]) -> Bool {
        if !sawBOMCheck {
            sawBOMCheck = true
            if line.count >= 3 && line[0] == 0xEF && line[1] == 0xBB && line[2] == 0xBF { line.removeFirst(3) }
        }
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            // Dispatch.
            if hasData {
                out.append(SSEEvent(event: eventType ?? "message", data: String(decoding: data, as: UTF8.self), id: lastID, retry: retry))
            }
            data.removeAll(keepingCapacity: true)
            hasData = false
            eventType = nil
            retry = nil
            return true
        }
        if line[0] == UInt8(ascii: ":") { return false }  // comment
        var nameEnd = line.count
        var valueStart = line.count
        if let c = line.firstIndex(of: UInt8(ascii: ":")) {
            nameEnd = c
            valueStart = c + 1
            if valueStart < line.count && line[valueStart] == 0x20 { valueStart += 1 }
        }
        let name = line[0..<nameEnd]
        let value = line[valueStart...]
        if name.elementsEqual("data".utf8) {
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
        } else if name.elementsEqual("event".utf8) {
            eventType = String(decoding: value, as: UTF8.self)
        } else if name.elementsEqual("id".utf8) {
            if !value.contains(0) { lastID = String(decoding: value, as: UTF8.self) }
        } else if name.elementsEqual("retry".utf8) {
            if !value.isEmpty, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(String(decoding: value, as: UTF8.self)) {
                retry = n
            }
        }
        return false
    }
}

/// The events of a `text/event-stream` body, yielded as they arrive.
public struct SSEStream<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == [UInt8] {
    public typealias Element = SSEEvent
    let base: Base

    /// Events from a sequence of byte chunks (e.g. a response body).
    public init(_ base: Base) { self.base = base }

    public func makeAsyncIterator() -> Iterator { Iterator(base: base.makeAsyncIterator()) }

    public struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        var parser = SSEParser()
        var pending: [SSEEvent] = []
        var index = 0
        var done = false

        public mutating func next() async throws -> SSEEvent? {
            while true {
                if index < pending.count {
                    let e = pending[index]
                    index += 1
                    return e
                }
                if done { return nil }
                pending.removeAll(keepingCapacity: true)
                index = 0
                if let chunk = try await base.next() {
                    pending = parser.feed(chunk)
                } else {
                    done = true
                    pending = parser.finish()
                }
            }
        }
    }
}

extension RequestBody {
    /// The body parsed as Server-Sent Events.
    public var serverSentEvents: SSEStream<RequestBody> { SSEStream(self) }
}

extension HTTPClientResponse {
    /// The body parsed as Server-Sent Events.
    public var serverSentEvents: SSEStream<RequestBody> { SSEStream(body) }
}
