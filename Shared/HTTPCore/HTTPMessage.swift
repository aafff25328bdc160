/// A request as a handler sees it.
public struct HTTPRequest: Sendable {
    /// The method.
    public var method: HTTPMethod
    /// The request target as received (origin-form `/path?query` usually).
    public var target: String
    /// The path part of the target (not percent-decoded).
    public var path: String
    /// The query part, without `?`, if any.
    public var query: String?
    /// The protocol version.
    public var version: HTTPVersion
    /// The header fields.
    public var headers: HTTPHeaders
    /// The body: already buffered, or streamed as it arrives.
    public var body: RequestBody
    /// The peer's address, `host:port` (`[v6]:port`).
    public var remoteAddress: String
    /// The peer's host alone (IPv6 without brackets), for `X-Forwarded-For`.
    public var remoteHost: String

    /// Makes a request (tests and in-process use).
    public init(method: HTTPMethod, target: String, version: HTTPVersion = .http1_1,
                headers: HTTPHeaders = HTTPHeaders(), body: RequestBody = .empty, remoteAddress: String = "") {
        self.init(method: method, target: target, version: version, headers: headers, body: body,
                  remoteAddress: remoteAddress, remoteHost: HTTPRequest.host(of: remoteAddress))
    }

    /// The server's form: the peer's host was worked out once per connection.
    init(method: HTTPMethod, target: String, version: HTTPVersion, headers: HTTPHeaders, body: RequestBody,
         remoteAddress: String, remoteHost: String) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.remoteHost = remoteHost
        (path, query) = HTTPRequest.split(target)
    }

    /// `host` of `host:port` or `[v6]:port` (a bare host is returned as it is).
    public static func host(of address: String) -> String {
        if address.hasPrefix("["), let end = address.firstIndex(of: "]") {
            return String(address[address.index(after: address.startIndex)..<end])
        }
        if let colon = address.lastIndex(of: ":"), address.firstIndex(of: ":") == colon { return String(address[..<colon]) }
        return address
    }

    /// Splits a target into path and query (absolute-form targets keep only their path).
    static func split(_ target: String) -> (String, String?) {
        // Fast path: origin-form ASCII (what the server's parser admits), byte-level.
        if let r = target.utf8.withContiguousStorageIfAvailable({ p -> (Int?, Bool)? in
            guard p.first == UInt8(ascii: "/") else { return nil }
            var q: Int? = nil
            for i in 0..<p.count {
                let b = p[i]
                if b >= 0x80 { return nil }
                if b == UInt8(ascii: "?") && q == nil { q = i }
            }
            return (q, true)
        }), let (q, _) = r {
            guard let q else { return (target, nil) }
            let u = target.utf8
            let qi = u.index(u.startIndex, offsetBy: q)
            return (String(target[..<qi]), String(target[u.index(after: qi)...]))
        }
        var t = Substring(target)
        if !t.hasPrefix("/"), let r = t.utf8.firstIndex(of: UInt8(ascii: ":")),
           t[r...].hasPrefix("://") {
            let afterScheme = t[t.index(r, offsetBy: 3)...]
            if let slash = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) {
                t = afterScheme[slash...]
                if t.hasPrefix("?") { t = "/" + t }
            } else { t = "/" }
        }
        if let q = t.firstIndex(of: "?") {
            return (String(t[..<q]), String(t[t.index(after: q)...]))
        }
        return (String(t), nil)
    }
}

/// A response from a handler.
public struct HTTPResponse: Sendable {
    /// The status.
    public var status: HTTPStatus
    /// The header fields (`Content-Length`/`Transfer-Encoding` are set by the server).
    public var headers: HTTPHeaders
    /// The body.
    public var body: ResponseBody
    /// For `101 Switching Protocols`: takes over the connection once the head is sent.
    public var upgrade: (@Sendable (UpgradedConnection) async -> Void)?

    /// Makes a response.
    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: ResponseBody = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response with a byte body and a content type.
    public init(status: HTTPStatus = .ok, contentType: String, body: [UInt8]) {
        self.status = status
        self.headers = ["Content-Type": contentType]
        self.body = .bytes(body)
    }

    /// A plain-text response.
    public static func text(_ s: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/plain; charset=utf-8", body: Array(s.utf8))
    }
}

/// A response body.
public enum ResponseBody: Sendable {
    /// The whole body at once.
    case bytes([UInt8])
    /// Written piece by piece (chunked unless the response sets Content-Length), with
    /// back-pressure: `write` suspends while the peer is slow.
    case stream(@Sendable (ResponseBodyWriter) async throws -> Void)

    /// No body.
    public static var empty: ResponseBody { .bytes([]) }
}

/// Where a streamed response body is written.
public struct ResponseBodyWriter: Sendable {
    let sink: any BodySink
    /// Writes bytes; suspends while too much is waiting to be sent. Throws once the peer is gone.
    public func write(_ bytes: [UInt8]) async throws { try await sink.write(bytes) }
    /// Writes UTF-8 text.
    public func write(_ text: String) async throws { try await sink.write(Array(text.utf8)) }
    /// Makes a writer over any sink (tests, proxies).
    public init(_ sink: any BodySink) { self.sink = sink }
}

/// The destination of a streamed body.
public protocol BodySink: Sendable {
    /// Writes bytes, suspending for back-pressure.
    func write(_ bytes: [UInt8]) async throws
}

/// A connection after `101 Switching Protocols`: raw bytes both ways (e.g. WebSocket),
/// on the server (handed to `HTTPResponse.upgrade`) or the client (`HTTPClient.upgrade`).
public struct UpgradedConnection: Sendable {
    /// Bytes from the peer; nil at end of stream.
    public let inbound: RequestBody
    /// Bytes to the peer.
    public let outbound: ResponseBodyWriter
    /// Ends the connection once what was written has been sent.
    let closer: @Sendable () -> Void
    /// The event loop that owns the socket (work on it runs without thread hops).
    let loop: EventLoop

    /// Closes the connection after the bytes written so far have been sent (the server
    /// also closes it when the upgrade closure returns; a client's stays open until this
    /// is called, the peer closes, or `inbound` is dropped unread).
    public func close() { closer() }
}

/// Thrown when a peer went away or a stream was cut.
public struct ConnectionClosedError: Error, Sendable {}
