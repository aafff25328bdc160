/// An incremental `multipart/form-data` parser (RFC 7578 over RFC 2046 §5.1): feed it the
/// body as it arrives, split anywhere, and pull events (`part`, `body` chunks, `partEnd`)
/// as soon as the bytes decide them. A part's body is handed on while it streams; only the
/// bytes that could still be the start of a boundary are held back.
///
/// Rules: the first boundary line may open the body or follow a preamble (ignored); a
/// boundary line is CRLF `--boundary`, optional spaces or tabs, CRLF (a bare LF is a 400);
/// `--boundary` followed by anything else inside a body is body content; the closing
/// `--boundary--` ends the form and whatever follows (the epilogue) is ignored. Each part
/// needs `Content-Disposition: form-data; name=...` (see `MultipartPartHead`). A body that
/// ends before the closing boundary is a 400. `MultipartLimits` bounds parts, header
/// blocks, part bodies and the whole body (413).
public struct MultipartParser: Sendable {
    /// The boundary (without the leading `--`).
    public let boundary: String
    /// The limits enforced while parsing.
    public let limits: MultipartLimits
    /// CRLF `--` boundary.
    private let delimiter: [UInt8]
    /// Unconsumed input from `start`; begins with a CRLF that was never sent, so the first
    /// boundary line matches the same delimiter as every later one.
    private var buffer: [UInt8] = [13, 10]
    private var start = 0
    /// Where the search for the end of a header block resumes.
    private var headerScanFrom = 0
    private var state = State.preamble
    private var totalBytes = 0
    private var partCount = 0
    private var partBytes = 0
    private var partName = ""
    private var paddingBytes = 0

    private enum State: Sendable {
        case preamble, boundaryLine, headers, body, epilogue
    }

    /// A parser for `boundary`; 400 when it is not a valid RFC 2046 boundary.
    public init(boundary: String, limits: MultipartLimits = MultipartLimits()) throws(MultipartError) {
        try Self.validate(boundary: boundary)
        self.boundary = boundary
        self.limits = limits
        delimiter = [13, 10, 45, 45] + Array(boundary.utf8)
    }

    /// A parser for the body of a request with this `Content-Type`: 415 unless it is
    /// `multipart/form-data`, 400 without a valid `boundary` parameter.
    public init(contentType: String, limits: MultipartLimits = MultipartLimits()) throws(MultipartError) {
        try self.init(boundary: Self.boundary(fromContentType: contentType), limits: limits)
    }

    /// The `boundary` parameter (quoted or not) of a `multipart/form-data` Content-Type.
    public static func boundary(fromContentType contentType: String) throws(MultipartError) -> String {
        guard let parsed = HeaderParameters(parsing: contentType) else {
            throw MultipartError(.badBoundary, "malformed Content-Type parameters")
        }
        guard parsed.value == "multipart/form-data" else {
            throw MultipartError(.notMultipart, "Content-Type is not multipart/form-data")
        }
        guard let boundary = parsed["boundary"] else {
            throw MultipartError(.badBoundary, "multipart/form-data without a boundary parameter")
        }
        try validate(boundary: boundary)
        return boundary
    }

    /// RFC 2046 §5.1.1: 1 to 70 characters, not ending in a space. Any printable ASCII is
    /// accepted (clients use more than the RFC's `bchars`; none of it can break framing).
    private static func validate(boundary: String) throws(MultipartError) {
        let bytes = boundary.utf8
        guard (1...70).contains(bytes.count), bytes.allSatisfy({ (0x20...0x7E).contains($0) }), bytes.last != 0x20 else {
            throw MultipartError(.badBoundary, "invalid multipart boundary (1 to 70 printable ASCII characters, not ending in a space)")
        }
    }

    /// Whether the closing boundary has been read (what follows is ignored).
    public var isComplete: Bool { state == .epilogue }

    /// Adds the next bytes of the body; 413 once the body passes `maxTotalBytes`.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(MultipartError) {
        totalBytes += bytes.count
        if totalBytes > limits.maxTotalBytes {
            throw MultipartError(.bodyTooLarge, "multipart body exceeds \(limits.maxTotalBytes) bytes")
        }
        if state == .epilogue { return }
        if start > 0 && start * 2 >= buffer.count {
            buffer.removeSubrange(0..<start)
            headerScanFrom -= start
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The end of the body: 400 unless the closing boundary was read.
    public func finish() throws(MultipartError) {
        switch state {
        case .epilogue: return
        case .preamble: throw MultipartError(.malformed, "multipart body has no --\(boundary) line")
        default: throw MultipartError(.malformed, "multipart body ended before its closing --\(boundary)--")
        }
    }

    /// The next event the bytes fed so far decide; nil when more input is needed (or the
    /// form is complete, see `isComplete`).
    public mutating func next() throws(MultipartError) -> MultipartEvent? {
        while true {
            switch state {
            case .epilogue:
                buffer.removeAll()
                start = 0
                return nil
            case .preamble:
                switch scanForDelimiter() {
                case .needMore(let safeEnd):
                    start = safeEnd
                    return nil
                case .found(let at, let closing):
                    consumeDelimiter(at: at, closing: closing)
                }
            case .body:
                switch scanForDelimiter() {
                case .needMore(let safeEnd):
                    guard safeEnd > start else { return nil }
                    return try emitBody(upTo: safeEnd)
                case .found(let at, let closing):
                    if at > start { return try emitBody(upTo: at) }
                    consumeDelimiter(at: at, closing: closing)
                    return .partEnd
                }
            case .boundaryLine:
                while start < buffer.count && (buffer[start] == 0x20 || buffer[start] == 0x09) {
                    start += 1
                    paddingBytes += 1
                    if paddingBytes > limits.maxPartHeaderBytes { throw headerTooLarge() }
                }
                guard start < buffer.count else { return nil }
                guard buffer[start] == 13 else { throw MultipartError(.malformed, "multipart boundary line must end with CRLF") }
                guard start + 1 < buffer.count else { return nil }
                guard buffer[start + 1] == 10 else { throw MultipartError(.malformed, "multipart boundary line must end with CRLF") }
                start += 2
                partCount += 1
                if partCount > limits.maxParts {
                    throw MultipartError(.tooManyParts, "multipart body has more than \(limits.maxParts) parts")
                }
                state = .headers
                headerScanFrom = start
            case .headers:
                return try nextHead()
            }
        }
    }

    // MARK: - Steps

    private enum Scan {
        /// No delimiter yet; everything before `safeEnd` is certainly not part of one.
        case needMore(safeEnd: Int)
        /// A delimiter (CRLF `--boundary`) starts at `at`; `closing` when `--` follows it.
        case found(at: Int, closing: Bool)
    }

    /// Finds the next CRLF `--boundary` that is followed by `--`, a space, tab, CR or LF.
    private func scanForDelimiter() -> Scan {
        let end = buffer.count
        var index = start
        while index < end {
            guard let cr = buffer[index..<end].firstIndex(of: 13) else { return .needMore(safeEnd: end) }
            let available = min(end - cr, delimiter.count)
            guard buffer[cr..<(cr + available)].elementsEqual(delimiter[0..<available]) else {
                index = cr + 1
                continue
            }
            let after = cr + delimiter.count
            guard after < end else { return .needMore(safeEnd: cr) }
            switch buffer[after] {
            case 0x20, 0x09, 13, 10:
                return .found(at: cr, closing: false)
            case UInt8(ascii: "-"):
                guard after + 1 < end else { return .needMore(safeEnd: cr) }
                if buffer[after + 1] == UInt8(ascii: "-") { return .found(at: cr, closing: true) }
                index = cr + 1
            default:
                index = cr + 1
            }
        }
        return .needMore(safeEnd: end)
    }

    private mutating func consumeDelimiter(at: Int, closing: Bool) {
        if closing {
            state = .epilogue
            buffer.removeAll()
            start = 0
        } else {
            start = at + delimiter.count
            state = .boundaryLine
            paddingBytes = 0
        }
    }

    private mutating func emitBody(upTo end: Int) throws(MultipartError) -> MultipartEvent {
        partBytes += end - start
        if partBytes > limits.maxPartBytes {
            throw MultipartError(.partTooLarge, "multipart part '\(partName.prefix(100))' exceeds \(limits.maxPartBytes) bytes")
        }
        let chunk = Array(buffer[start..<end])
        start = end
        return .body(chunk)
    }

    /// The head once its block (ending in CRLF CRLF, or a lone CRLF for no headers) is in.
    private mutating func nextHead() throws(MultipartError) -> MultipartEvent? {
        let end = buffer.count
        var blockEnd: Int?
        var resumeAt = max(headerScanFrom, start)
        if end - start >= 2 && buffer[start] == 13 && buffer[start + 1] == 10 {
            blockEnd = start
        } else {
            while let cr = buffer[resumeAt..<end].firstIndex(of: 13) {
                if cr + 3 >= end { resumeAt = cr; break }
                if buffer[cr + 1] == 10 && buffer[cr + 2] == 13 && buffer[cr + 3] == 10 {
                    blockEnd = cr
                    break
                }
                resumeAt = cr + 1
            }
            if blockEnd == nil && buffer[resumeAt..<end].firstIndex(of: 13) == nil { resumeAt = end }
        }
        guard let blockEnd else {
            headerScanFrom = resumeAt
            if end - start + paddingBytes > limits.maxPartHeaderBytes { throw headerTooLarge() }
            return nil
        }
        let terminator = blockEnd == start ? 2 : 4
        if blockEnd + terminator - start + paddingBytes > limits.maxPartHeaderBytes { throw headerTooLarge() }
        let head = try MultipartPartHead.parse(buffer[start..<blockEnd])
        start = blockEnd + terminator
        state = .body
        partBytes = 0
        partName = head.name
        return .part(head)
    }

    private func headerTooLarge() -> MultipartError {
        MultipartError(.headerTooLarge, "multipart part headers exceed \(limits.maxPartHeaderBytes) bytes")
    }
}
