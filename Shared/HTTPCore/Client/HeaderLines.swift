/// Request header fields already serialised as `Name: value\r\n` lines, each validated
/// as it is added. A proxy composes what it forwards straight into these bytes (no field
/// array to build, filter and serialise again), and lines made once (the gateway's
/// internal-token field) are appended with one copy. The client writes the request line before them
/// and `Host` (unless one was added) and the body's framing after them.
///
/// Framing fields are the client's: `Content-Length` and `Transfer-Encoding` are not
/// written (a streamed body is sent with the `Content-Length` value given, else chunked);
/// `Connection: close` is written and makes the client close after the exchange.
public struct HeaderLines: Sendable, Equatable {
    /// The serialised lines.
    public private(set) var bytes: [UInt8] = []
    /// The `Content-Length` value added, when it was a valid length.
    public private(set) var contentLength: Int? = nil
    /// Whether a `Host` field was added.
    public private(set) var hasHost = false
    /// Whether a `Connection` field named `close`.
    public private(set) var wantsClose = false

    /// No fields.
    public init() {}

    /// No fields yet, with room for about `capacity` bytes of them.
    public init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// The lines of `headers`, in order; throws `.invalidRequest` at the first name that is
    /// not a token or value with a byte a field cannot hold.
    public init(_ headers: HTTPHeaders) throws(HTTPClientError) {
        self.init(capacity: headers.count * 48)
        let fields = headers.fields
        for i in fields.indices { try add(fields[i].name, fields[i].value) }
    }

    /// Adds one field; throws `.invalidRequest` (adding nothing) when the name is not a
    /// token or the value holds a control character (CR and LF included).
    public mutating func add(_ name: String, _ value: String) throws(HTTPClientError) {
        let start = bytes.count
        // Names and values are validated as they are copied (one pass each).
        guard !name.isEmpty, bytes.appendUTF8(name, ifAllIn: CharClass.tchar) else {
            throw .invalidRequest("invalid header name \(name)")
        }
        bytes.append(0x3A); bytes.append(0x20)
        guard bytes.appendUTF8(value, ifAllIn: CharClass.fieldValue) else {
            bytes.removeLast(bytes.count - start)
            throw .invalidRequest("invalid value of header \(name)")
        }
        bytes.append(0x0D); bytes.append(0x0A)
        switch name.utf8.count {
        case 14 where HTTPHeaders.equalsIgnoringCase(name, "Content-Length"):
            contentLength = Int(value.trimmingSpaces).flatMap { $0 >= 0 ? $0 : nil }
            bytes.removeLast(bytes.count - start)
        case 17 where HTTPHeaders.equalsIgnoringCase(name, "Transfer-Encoding"):
            bytes.removeLast(bytes.count - start)
        case 4 where HTTPHeaders.equalsIgnoringCase(name, "Host"):
            hasHost = true
        case 10 where HTTPHeaders.equalsIgnoringCase(name, "Connection"):
            for part in value.split(separator: ",") where HTTPHeaders.equalsIgnoringCase(part.trimmingSpaces, "close") {
                wantsClose = true
            }
        default:
            break
        }
    }

    /// Appends lines composed earlier.
    public mutating func append(_ other: HeaderLines) {
        bytes.append(contentsOf: other.bytes)
        if let n = other.contentLength { contentLength = n }
        hasHost = hasHost || other.hasHost
        wantsClose = wantsClose || other.wantsClose
    }

    /// The fields, read back in order (`Content-Length` last when one was given): for
    /// tests, logs and transports that want a field list.
    public var headers: HTTPHeaders {
        var out: [(name: String, value: String)] = []
        var lineStart = 0
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0x0D && bytes[i + 1] == 0x0A {
                let line = bytes[lineStart..<i]
                if let colon = line.firstIndex(of: 0x3A) {
                    // add() writes ": " after the name; values keep their own spaces.
                    out.append((String(decoding: line[..<colon], as: UTF8.self),
                                String(decoding: line[(colon + 2)...], as: UTF8.self)))
                }
                i += 2
                lineStart = i
            } else {
                i += 1
            }
        }
        if let n = contentLength { out.append(("Content-Length", String(n))) }
        return HTTPHeaders(fields: out)
    }
}
