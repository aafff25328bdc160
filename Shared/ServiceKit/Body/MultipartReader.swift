import HTTPCore

/// Reads a `multipart/form-data` body part by part while it streams in: `nextPart()` gives
/// each part's head as soon as its header block has arrived, and the part's body is read
/// in chunks with `nextBodyChunk()` or whole with `collectBody(upTo:)`; a part whose body
/// is not read is skipped (never buffered). Errors are `ServiceError`s: 400 malformed, 413
/// over a limit, as the service's envelope renders them.
///
/// ```swift
/// var form = try request.multipart(limits: limits)
/// while let part = try await form.nextPart() {
///     if part.name == "file" { try await store(form.collectBody(upTo: maxFile)) }
/// }
/// ```
public struct MultipartReader<Chunks: AsyncSequence> where Chunks.Element == [UInt8] {
    private var chunks: Chunks.AsyncIterator
    private var parser: MultipartParser
    private var inputFinished = false
    private var inPart = false
    /// The part being read (nil before the first and after the last).
    public private(set) var currentPart: MultipartPartHead?

    /// A reader of `body` (chunks in order) with `parser`'s boundary and limits.
    public init(body: Chunks, parser: MultipartParser) {
        chunks = body.makeAsyncIterator()
        self.parser = parser
    }

    /// The next part's head (the rest of the current part is skipped); nil after the
    /// closing boundary.
    public mutating func nextPart() async throws -> MultipartPartHead? {
        while let event = try await nextEvent() {
            switch event {
            case .part(let head):
                inPart = true
                currentPart = head
                return head
            case .body:
                continue
            case .partEnd:
                inPart = false
            }
        }
        currentPart = nil
        return nil
    }

    /// The next chunk of the current part's body; nil at its end (or when no part is open).
    public mutating func nextBodyChunk() async throws -> [UInt8]? {
        guard inPart else { return nil }
        while let event = try await nextEvent() {
            switch event {
            case .body(let chunk):
                return chunk
            case .partEnd:
                inPart = false
                return nil
            case .part:
                continue  // not reached: the parser ends a part before it begins the next
            }
        }
        inPart = false
        return nil
    }

    /// The rest of the current part's body; 413 naming the part past `limit` bytes (at
    /// most the parser's `maxPartBytes` applies anyway).
    public mutating func collectBody(upTo limit: Int) async throws -> [UInt8] {
        var out: [UInt8] = []
        while let chunk = try await nextBodyChunk() {
            if out.count + chunk.count > limit {
                let name = currentPart?.name ?? ""
                throw MultipartError(.partTooLarge, "multipart part '\(name.prefix(100))' exceeds \(limit) bytes").serviceError
            }
            if out.isEmpty { out = chunk } else { out.append(contentsOf: chunk) }
        }
        return out
    }

    /// Every remaining part read whole (each within the parser's limits).
    public mutating func collectParts() async throws -> [MultipartPart] {
        var parts: [MultipartPart] = []
        while let head = try await nextPart() {
            parts.append(MultipartPart(head: head, body: try await collectBody(upTo: parser.limits.maxPartBytes)))
        }
        return parts
    }

    /// The parser's next event, reading more of the body as needed; nil after the closing
    /// boundary.
    private mutating func nextEvent() async throws -> MultipartEvent? {
        do {
            while true {
                if let event = try parser.next() { return event }
                if parser.isComplete { return nil }
                if inputFinished {
                    try parser.finish()
                    return nil
                }
                let chunk: [UInt8]?
                do {
                    chunk = try await chunks.next()
                } catch {
                    throw ServiceError.bodyRead(error, limit: parser.limits.maxTotalBytes)
                }
                if let chunk { try parser.feed(chunk) } else { inputFinished = true }
            }
        } catch let error as MultipartError {
            throw error.serviceError
        }
    }
}
