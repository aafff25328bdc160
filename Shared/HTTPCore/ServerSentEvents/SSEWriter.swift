/// Writes Server-Sent Events (WHATWG HTML §9.2) to a streamed response: each event is
/// serialised whole and written with one `write`, which the server sends at once as one
/// chunk, so a client sees every event as soon as it is sent (the body's back-pressure
/// still applies: a write suspends while the client lags).
///
/// An event is written as `event:` (left out for the default type `message`), `id:`,
/// `retry:`, then one `data:` line per line of the data (split at CRLF, CR or LF), and a
/// blank line. A comment (`: text`) keeps idle connections and proxies alive.
public struct SSEWriter: Sendable {
    let body: ResponseBodyWriter

    /// A writer over a streamed response body.
    public init(_ body: ResponseBodyWriter) { self.body = body }

    /// Sends one event; throws `SSEFieldError` when its type or id holds a line break
    /// (or the id a NUL), which would break the stream's framing.
    public func send(_ event: SSEEvent) async throws {
        try await body.write(try SSEWriter.encode(event))
    }

    /// Sends an event of `data` (and an optional type, id, retry).
    public func send(data: String, event: String = "message", id: String? = nil, retry: Int? = nil) async throws {
        try await send(SSEEvent(event: event, data: data, id: id, retry: retry))
    }

    /// Sends a comment line (`: text`) followed by a blank line: ignored by clients, it
    /// keeps the connection from looking idle.
    public func comment(_ text: String = "") async throws {
        try await body.write(try SSEWriter.encodeComment(text))
    }

    /// The bytes of one event.
    public static func encode(_ event: SSEEvent) throws(SSEFieldError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(event.data.utf8.count + 32)
        if event.event != "message" {
            try check(event.event, field: "event")
            field("event", event.event, into: &out)
        }
        if let id = event.id {
            try check(id, field: "id")
            if id.utf8.contains(0) { throw SSEFieldError(field: "id") }
            field("id", id, into: &out)
        }
        if let retry = event.retry {
            if retry < 0 { throw SSEFieldError(field: "retry") }
            field("retry", String(retry), into: &out)
        }
        var lineStart = event.data.utf8.startIndex
        let utf8 = event.data.utf8
        var index = lineStart
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == 0x0A || byte == 0x0D {
                field("data", Substring(utf8[lineStart..<index]), into: &out)
                index = utf8.index(after: index)
                if byte == 0x0D, index < utf8.endIndex, utf8[index] == 0x0A { index = utf8.index(after: index) }
                lineStart = index
            } else {
                index = utf8.index(after: index)
            }
        }
        field("data", Substring(utf8[lineStart..<utf8.endIndex]), into: &out)
        out.append(0x0A)
        return out
    }

    /// The bytes of a comment (one `:` line per line of `text`) and the blank line.
    public static func encodeComment(_ text: String) throws(SSEFieldError) -> [UInt8] {
        try check(text, field: "comment")
        var out: [UInt8] = [UInt8(ascii: ":")]
        if !text.isEmpty {
            out.append(0x20)
            out.append(contentsOf: text.utf8)
        }
        out.append(0x0A)
        out.append(0x0A)
        return out
    }

    private static func check(_ value: String, field: String) throws(SSEFieldError) {
        if value.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) { throw SSEFieldError(field: field) }
    }

    private static func field(_ name: String, _ value: some StringProtocol, into out: inout [UInt8]) {
        out.append(contentsOf: name.utf8)
        out.append(UInt8(ascii: ":"))
        out.append(0x20)
        out.append(contentsOf: value.utf8)
        out.append(0x0A)
    }
}
