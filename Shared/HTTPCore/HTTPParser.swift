#if canImport(Glibc)
import Glibc
#endif
/// Why a message could not be parsed, with the status a server answers.
public struct HTTPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The HTTP status to answer with (400, 413, 414, 431, 501, 505).
    public let status: Int
    /// What was wrong, for logs and the error body.
    public let reason: String
    public init(_ status: Int, _ reason: String) { self.status = status; self.reason = reason }
    public var description: String { "\(status): \(reason)" }
}

/// The limits a parser enforces; all configurable.
public struct HTTPLimits: Sendable {
    /// Longest request line (414 beyond).
    public var maxRequestLine = 8192
    /// Longest request method (501 beyond): the longest registered method is 17 bytes,
    /// and every distinct method a client can send becomes a log value and a metric label.
    public var maxMethodLength = 32
    /// Largest head: request line plus header fields (431 beyond).
    public var maxHeaderBytes = 32768
    /// Most header fields (431 beyond).
    public var maxHeaderCount = 100
    /// Largest body (413 beyond).
    public var maxBodyBytes = 16 * 1024 * 1024
    public init() {}
}

/// How a message body is delimited.
enum BodyFraming: Equatable {
    case none
    case length(Int)
    case chunked
    /// Response bodies only: until the connection closes.
    case untilClose
}

/// A parsed request head.
struct RequestHead {
    var method: HTTPMethod
    var target: String
    var version: HTTPVersion
    var headers: HTTPHeaders
    var framing: BodyFraming
    var keepAlive: Bool
    var expectContinue: Bool
}

/// Byte classes from RFC 9110.
enum CharClass {
    /// tchar: the characters of a token.
    static let tchar: [Bool] = {
        var t = [Bool](repeating: false, count: 256)
        for c in UInt8(ascii: "a")...UInt8(ascii: "z") { t[Int(c)] = true }
        for c in UInt8(ascii: "A")...UInt8(ascii: "Z") { t[Int(c)] = true }
        for c in UInt8(ascii: "0")...UInt8(ascii: "9") { t[Int(c)] = true }
        for c in "!#$%&'*+-.^_`|~".utf8 { t[Int(c)] = true }
        return t
    }()
    /// field-value bytes: VCHAR, obs-text, SP, HTAB.
    static let fieldValue: [Bool] = {
        var t = [Bool](repeating: false, count: 256)
        for c in 0x21...0x7E { t[c] = true }
        for c in 0x80...0xFF { t[c] = true }
        t[0x20] = true; t[0x09] = true
        return t
    }()
    /// request-target bytes: visible ASCII (no space, no control, no obs-text).
    static let target: [Bool] = {
        var t = [Bool](repeating: false, count: 256)
        for c in 0x21...0x7E { t[c] = true }
        return t
    }()
}

/// Finds the end of a message head in `buf` (from `start`), enforcing line endings.
/// Returns the index just past the blank line, or nil when more bytes are needed.
/// `scanned` remembers progress between calls.
struct HeadScanner {
    var scanned = 0
    var sawLF = false

    mutating func reset() { scanned = 0; sawLF = false }

    /// - Throws: 400 on a bare LF or CR, 414/431 when a limit is passed without a complete head.
    mutating func findEnd(_ buf: UnsafeBufferPointer<UInt8>, start: Int, limits: HTTPLimits, isRequest: Bool) throws -> Int? {
        var i = start + scanned
        let end = buf.count
        while i < end {
            let b = buf[i]
            if b == 0x0A {
                if i == start || buf[i - 1] != 0x0D { throw HTTPParseError(400, "bare LF in message head") }
                sawLF = true
                if i - start >= 3 && buf[i - 2] == 0x0A && buf[i - 3] == 0x0D {
                    reset()
                    if i + 1 - start > limits.maxHeaderBytes { throw HTTPParseError(431, "header section too large") }
                    return i + 1
                }
            } else if b == 0x0D && i + 1 < end && buf[i + 1] != 0x0A {
                throw HTTPParseError(400, "bare CR in message head")
            } else if b == 0 {
                throw HTTPParseError(400, "NUL in message head")
            }
            i += 1
        }
        // Re-examine the last byte next time (a CR whose LF has not arrived).
        scanned = max(0, i - start - 1)
        let length = end - start
        if isRequest && !sawLF && length > limits.maxRequestLine {
            throw HTTPParseError(414, "request line too long")
        }
        if length > limits.maxHeaderBytes { throw HTTPParseError(431, "header section too large") }
        return nil
    }
}

/// Parses header field lines `name: value CRLF ...` in `buf[from..<to]` (to excludes the final CRLF).
/// `previous` is the same connection's last header list: a field whose bytes equal the
/// one at the same position there reuses its strings (keep-alive peers repeat most
/// fields; no allocation for them). When the caller hands over the only reference to it
/// (the last message is done with), its storage is refilled in place: a repeated head
/// allocates nothing at all.
func parseFieldLines(_ buf: UnsafeBufferPointer<UInt8>, from: Int, to: Int, limits: HTTPLimits,
                     previous: consuming HTTPHeaders? = nil) throws -> HTTPHeaders {
    var fields = (consume previous)?.fields ?? []
    if fields.isEmpty { fields.reserveCapacity(16) }
    var n = 0
    var i = from
    let tchar = CharClass.tchar, fv = CharClass.fieldValue
    while i < to {
        // find this line's CR
        var lineEnd = i
        while lineEnd < to && buf[lineEnd] != 0x0D { lineEnd += 1 }
        let first = buf[i]
        if first == 0x20 || first == 0x09 { throw HTTPParseError(400, "obsolete line folding") }
        var c = i
        while c < lineEnd && tchar[Int(buf[c])] { c += 1 }
        if c == i { throw HTTPParseError(400, "invalid header field name") }
        if c >= lineEnd || buf[c] != UInt8(ascii: ":") {
            throw HTTPParseError(400, "invalid character in header field name")
        }
        var vs = c + 1
        var ve = lineEnd
        while vs < ve && (buf[vs] == 0x20 || buf[vs] == 0x09) { vs += 1 }
        while ve > vs && (buf[ve - 1] == 0x20 || buf[ve - 1] == 0x09) { ve -= 1 }
        var k = vs
        while k < ve {
            if !fv[Int(buf[k])] { throw HTTPParseError(400, "invalid character in header field value") }
            k += 1
        }
        if n >= limits.maxHeaderCount { throw HTTPParseError(431, "too many header fields") }
        // Slot n keeps the previous field's strings where the bytes are the same; only
        // what changed is written (a write copies the storage first if it is shared).
        if n < fields.count {
            if !sameBytes(fields[n].name, buf, i, c) {
                fields[n].name = String(decoding: UnsafeBufferPointer(rebasing: buf[i..<c]), as: UTF8.self)
            }
            if !sameBytes(fields[n].value, buf, vs, ve) {
                fields[n].value = String(decoding: UnsafeBufferPointer(rebasing: buf[vs..<ve]), as: UTF8.self)
            }
        } else {
            fields.append((String(decoding: UnsafeBufferPointer(rebasing: buf[i..<c]), as: UTF8.self),
                           String(decoding: UnsafeBufferPointer(rebasing: buf[vs..<ve]), as: UTF8.self)))
        }
        n += 1
        i = lineEnd + 2
    }
    if fields.count > n { fields.removeLast(fields.count - n) }
    return HTTPHeaders(fields: fields)
}

/// Whether `s` is exactly the bytes `buf[from..<to]`.
@inline(__always)
private func sameBytes(_ s: String, _ buf: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
    let n = to - from
    guard s.utf8.count == n else { return false }
    return s.utf8.withContiguousStorageIfAvailable { p in
        n == 0 || memcmp(p.baseAddress!, buf.baseAddress! + from, n) == 0
    } ?? false
}

/// Works out the body framing of a message from its headers (RFC 9112 §6.3),
/// rejecting everything request smuggling relies on.
func bodyFraming(headers: HTTPHeaders, version: HTTPVersion, limits: HTTPLimits, isRequest: Bool) throws -> BodyFraming {
    // The common case without allocating: no Transfer-Encoding and at most one
    // plain-digits Content-Length. Anything else takes the general path below.
    let cl = headers.index(of: "Content-Length")
    let oneLength = cl.map { headers.index(of: "Content-Length", from: $0 + 1) == nil } ?? true
    if oneLength && headers.index(of: "Transfer-Encoding") == nil {
        guard let cl else { return isRequest ? .none : .untilClose }
        let u = headers.fields[cl].value.utf8
        if !u.isEmpty && u.count <= 18 && u.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            var v = 0
            for b in u { v = v * 10 + Int(b &- 0x30) }
            if isRequest && v > limits.maxBodyBytes { throw HTTPParseError(413, "request body too large") }
            return v == 0 ? .none : .length(v)
        }
    }
    let te = headers.values("Transfer-Encoding")
    let lengths = headers.values("Content-Length")
    if !te.isEmpty {
        if !lengths.isEmpty { throw HTTPParseError(400, "both Transfer-Encoding and Content-Length") }
        if version == .http1_0 && isRequest { throw HTTPParseError(400, "Transfer-Encoding in an HTTP/1.0 request") }
        var codings: [Substring] = []
        for v in te { for p in v.split(separator: ",", omittingEmptySubsequences: false) { codings.append(p.trimmingSpaces) } }
        guard let last = codings.last, HTTPHeaders.equalsIgnoringCase(last, "chunked") else {
            if isRequest { throw HTTPParseError(501, "unsupported transfer coding") }
            return .untilClose
        }
        if codings.count > 1 {
            // chunked must be the last and only once; we implement no other coding.
            if isRequest {
                if codings.dropLast().contains(where: { HTTPHeaders.equalsIgnoringCase($0, "chunked") }) {
                    throw HTTPParseError(400, "chunked applied twice")
                }
                throw HTTPParseError(501, "unsupported transfer coding")
            }
        }
        return .chunked
    }
    if !lengths.isEmpty {
        var value: Int?
        for field in lengths {
            for part in field.split(separator: ",", omittingEmptySubsequences: false) {
                let t = part.trimmingSpaces
                guard !t.isEmpty, t.utf8.count <= 18, t.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(t) else {
                    throw HTTPParseError(400, "invalid Content-Length")
                }
                if let v = value, v != n { throw HTTPParseError(400, "conflicting Content-Length values") }
                value = n
            }
        }
        let n = value!
        if isRequest && n > limits.maxBodyBytes { throw HTTPParseError(413, "request body too large") }
        return n == 0 ? .none : .length(n)
    }
    return isRequest ? .none : .untilClose
}

/// Parses a complete request head in `buf[start..<end]` (end just past the blank line).
func parseRequestHead(_ buf: UnsafeBufferPointer<UInt8>, start: Int, end: Int, limits: HTTPLimits,
                      previous: consuming HTTPHeaders? = nil, previousTarget: String? = nil) throws -> RequestHead {
    // Request line.
    var lineEnd = start
    while buf[lineEnd] != 0x0D { lineEnd += 1 }
    if lineEnd - start > limits.maxRequestLine { throw HTTPParseError(414, "request line too long") }
    var i = start
    let tchar = CharClass.tchar
    while i < lineEnd && tchar[Int(buf[i])] { i += 1 }
    if i == start || i >= lineEnd || buf[i] != 0x20 { throw HTTPParseError(400, "invalid request method") }
    if i - start > limits.maxMethodLength { throw HTTPParseError(501, "request method too long") }
    let method = internedMethod(UnsafeBufferPointer(rebasing: buf[start..<i]))
        ?? HTTPMethod(String(decoding: UnsafeBufferPointer(rebasing: buf[start..<i]), as: UTF8.self))
    i += 1
    let ts = i
    let tgt = CharClass.target
    while i < lineEnd && tgt[Int(buf[i])] { i += 1 }
    if i == ts || i >= lineEnd || buf[i] != 0x20 { throw HTTPParseError(400, "invalid request target") }
    let target: String
    if let previousTarget, sameBytes(previousTarget, buf, ts, i) {
        target = previousTarget
    } else {
        target = String(decoding: UnsafeBufferPointer(rebasing: buf[ts..<i]), as: UTF8.self)
    }
    i += 1
    let version: HTTPVersion
    let vlen = lineEnd - i
    func at(_ k: Int) -> UInt8 { buf[i + k] }
    if vlen == 8 && at(0) == 0x48 && at(1) == 0x54 && at(2) == 0x54 && at(3) == 0x50 && at(4) == 0x2F && at(6) == 0x2E
        && (0x30...0x39).contains(at(5)) && (0x30...0x39).contains(at(7)) {
        switch (at(5), at(7)) {
        case (0x31, 0x31): version = .http1_1
        case (0x31, 0x30): version = .http1_0
        default: throw HTTPParseError(505, "HTTP version not supported")
        }
    } else {
        throw HTTPParseError(400, "invalid HTTP version")
    }
    // Target form.
    if target.utf8.first != UInt8(ascii: "/") {
        if target == "*" {
            if method != .OPTIONS { throw HTTPParseError(400, "asterisk-form only with OPTIONS") }
        } else if !(target.hasPrefix("http://") || target.hasPrefix("https://")) {
            throw HTTPParseError(400, "unsupported request-target form")
        }
    }
    let headers = try parseFieldLines(buf, from: lineEnd + 2, to: end - 2, limits: limits, previous: consume previous)
    var hosts = 0
    var from = 0
    while let h = headers.index(of: "Host", from: from) { hosts += 1; from = h + 1 }
    if version == .http1_1 && hosts != 1 { throw HTTPParseError(400, hosts == 0 ? "missing Host header" : "multiple Host headers") }
    if hosts > 1 { throw HTTPParseError(400, "multiple Host headers") }
    let framing = try bodyFraming(headers: headers, version: version, limits: limits, isRequest: true)
    var keepAlive = version == .http1_1
    if headers.hasToken("Connection", "close") { keepAlive = false }
    else if version == .http1_0 && headers.hasToken("Connection", "keep-alive") { keepAlive = true }
    var expectContinue = false
    if let e = headers["Expect"] {
        if HTTPHeaders.equalsIgnoringCase(e, "100-continue") { expectContinue = version == .http1_1 }
        else { throw HTTPParseError(417, "unsupported expectation") }
    }
    return RequestHead(method: method, target: target, version: version, headers: headers,
                       framing: framing, keepAlive: keepAlive, expectContinue: expectContinue)
}

/// Decodes a chunked body incrementally (RFC 9112 §7.1), strictly.
struct ChunkedDecoder {
    enum State { case size, data(Int), dataCRLF, trailer, done }
    var state: State = .size
    var total = 0
    var trailerBytes = 0

    var isDone: Bool { if case .done = state { return true }; return false }

    /// Consumes what it can from `buf`, appending body bytes to `out`.
    /// Returns true when the terminating chunk and trailers are complete.
    mutating func decode(_ buf: inout ByteBuffer, into out: inout [UInt8], maxBody: Int) throws -> Bool {
        while true {
            switch state {
            case .done:
                return true
            case .size:
                guard let (lineEnd, next) = try findLine(buf, maxLen: 4096) else { return false }
                var size = 0
                var i = buf.readIndex
                var digits = 0
                while i < lineEnd, let h = hexValue(buf.bytes[i]) {
                    digits += 1
                    if digits > 15 { throw HTTPParseError(400, "chunk size too large") }
                    size = size * 16 + h
                    i += 1
                }
                if digits == 0 { throw HTTPParseError(400, "invalid chunk size") }
                // Optional extensions: BWS ; ext — only visible chars, SP, HTAB.
                if i < lineEnd {
                    var j = i
                    while j < lineEnd && (buf.bytes[j] == 0x20 || buf.bytes[j] == 0x09) { j += 1 }
                    if j >= lineEnd || buf.bytes[j] != UInt8(ascii: ";") { throw HTTPParseError(400, "invalid chunk size line") }
                    while j < lineEnd {
                        if !CharClass.fieldValue[Int(buf.bytes[j])] || buf.bytes[j] >= 0x80 { throw HTTPParseError(400, "invalid chunk extension") }
                        j += 1
                    }
                }
                buf.skip(next - buf.readIndex)
                if size == 0 { state = .trailer } else {
                    total += size
                    if total > maxBody { throw HTTPParseError(413, "request body too large") }
                    state = .data(size)
                }
            case .data(let remaining):
                let n = min(remaining, buf.readable)
                if n == 0 { return false }
                out.append(contentsOf: buf.bytes[buf.readIndex..<buf.readIndex + n])
                buf.skip(n)
                state = remaining - n == 0 ? .dataCRLF : .data(remaining - n)
            case .dataCRLF:
                if buf.readable < 2 { return false }
                if buf.bytes[buf.readIndex] != 0x0D || buf.bytes[buf.readIndex + 1] != 0x0A {
                    throw HTTPParseError(400, "missing CRLF after chunk data")
                }
                buf.skip(2)
                state = .size
            case .trailer:
                guard let (lineEnd, next) = try findLine(buf, maxLen: 8192) else { return false }
                if lineEnd == buf.readIndex {
                    buf.skip(next - buf.readIndex)
                    state = .done
                    return true
                }
                trailerBytes += next - buf.readIndex
                if trailerBytes > 16384 { throw HTTPParseError(431, "trailer section too large") }
                // Validate the trailer field syntax; its content is discarded.
                try buf.bytes.withUnsafeBufferPointer { p in
                    _ = try parseFieldLines(p, from: buf.readIndex, to: lineEnd, limits: HTTPLimits())
                }
                buf.skip(next - buf.readIndex)
            }
        }
    }

    /// Finds the next CRLF-terminated line: (index of CR, index after LF).
    private func findLine(_ buf: ByteBuffer, maxLen: Int) throws -> (Int, Int)? {
        var i = buf.readIndex
        let end = buf.bytes.count
        while i < end {
            let b = buf.bytes[i]
            if b == 0x0A { throw HTTPParseError(400, "bare LF in chunked body") }
            if b == 0x0D {
                if i + 1 >= end { return nil }
                if buf.bytes[i + 1] != 0x0A { throw HTTPParseError(400, "bare CR in chunked body") }
                return (i, i + 2)
            }
            i += 1
            if i - buf.readIndex > maxLen { throw HTTPParseError(400, "chunk line too long") }
        }
        return nil
    }

    @inline(__always) private func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 0x30...0x39: Int(b - 0x30)
        case 0x41...0x46: Int(b - 0x41 + 10)
        case 0x61...0x66: Int(b - 0x61 + 10)
        default: nil
        }
    }
}

/// The well-known methods without building a string.
@inline(__always)
func internedMethod(_ m: UnsafeBufferPointer<UInt8>) -> HTTPMethod? {
    switch m.count {
    case 3:
        if m[0] == 0x47 && m[1] == 0x45 && m[2] == 0x54 { return .GET }
        if m[0] == 0x50 && m[1] == 0x55 && m[2] == 0x54 { return .PUT }
    case 4:
        if m[0] == 0x50 && m[1] == 0x4F && m[2] == 0x53 && m[3] == 0x54 { return .POST }
        if m[0] == 0x48 && m[1] == 0x45 && m[2] == 0x41 && m[3] == 0x44 { return .HEAD }
    case 5:
        if m.elementsEqual("PATCH".utf8) { return .PATCH }
    case 6:
        if m.elementsEqual("DELETE".utf8) { return .DELETE }
    case 7:
        if m.elementsEqual("OPTIONS".utf8) { return .OPTIONS }
    default: break
    }
    return nil
}
