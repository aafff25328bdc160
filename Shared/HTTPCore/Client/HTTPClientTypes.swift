/// Settings of an `HTTPClient`.
public struct HTTPClientConfiguration: Sendable {
    /// Most open connections (busy, idle or connecting) per (host, port); further requests wait FIFO.
    public var maxConnectionsPerHost = 64
    /// A TCP connect must complete within this long.
    public var connectTimeout: Duration = .seconds(10)
    /// A request waiting for response bytes gets none for this long: `.readTimeout`.
    public var readTimeout: Duration = .seconds(60)
    /// Idle pooled connections unused for this long are closed.
    public var idleTimeout: Duration = .seconds(60)
    /// Default total timeout of a request (pool wait, connect, send, and the whole response); nil: none.
    public var timeout: Duration? = nil
    /// How long a request may wait for a connection when `maxConnectionsPerHost` are
    /// busy: then it fails with `.poolWaitTimeout` (a gateway answers 503 with
    /// `Retry-After`); nil: as long as the total timeout allows.
    public var poolWaitTimeout: Duration? = .seconds(10)
    /// A new socket numbered at or above this fails the request with `.descriptorLimit`
    /// instead of taking the process's reserve of descriptors (`DescriptorLimit`).
    public var socketCeiling = DescriptorLimit.socketCeiling
    /// How often an idempotent request is retried after a reused connection turned out stale.
    public var maxStaleRetries = 3
    /// Response head limits (`maxHeaderBytes`, `maxHeaderCount`).
    public var limits = HTTPLimits()
    /// Response body bytes buffered for a slow consumer before reading from the socket pauses.
    public var bodyHighWater = 256 * 1024
    /// HTTPS: trust store and minimum version (the TLS handshake is bounded by `connectTimeout`).
    public var tls = TLSConfiguration()
    /// The defaults.
    public init() {}
}

/// Why a client request failed. The gateway maps connect errors, `.tls` and
/// `.invalidResponse` to 502, timeouts to 504, and overload (`isOverload`: the pool
/// wait ran out, or no descriptor was left) to 503 with `Retry-After`.
public enum HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL could not be parsed (or is neither `http://` nor `https://`).
    case invalidURL(String)
    /// The TCP connection was not established within `connectTimeout`.
    case connectTimeout
    /// The peer refused the connection.
    case connectionRefused
    /// Connecting failed otherwise (name resolution, unreachable, ...).
    case connectFailed(String)
    /// No bytes arrived for `readTimeout` while a response was expected.
    case readTimeout
    /// The request's total timeout passed.
    case timeout
    /// The peer closed the connection before the response was complete.
    case remoteClosed
    /// The response violated HTTP/1.1.
    case invalidResponse(String)
    /// Reading or writing the socket failed.
    case ioError(String)
    /// The request cannot be sent (a header with forbidden characters, ...).
    case invalidRequest(String)
    /// The streamed request body failed.
    case requestBodyFailed(String)
    /// The client was shut down.
    case shutdown
    /// The task was cancelled.
    case cancelled
    /// HTTPS: the TLS handshake or session failed (never a timeout).
    case tls(TLSFailure)
    /// Every connection to the host stayed busy for `poolWaitTimeout`: the request was
    /// never sent (safe to retry later).
    case poolWaitTimeout
    /// No socket could be opened without taking the process's reserve of descriptors
    /// (or the system had none): the request was never sent.
    case descriptorLimit

    public var description: String {
        switch self {
        case .invalidURL(let u): "invalid URL: \(u)"
        case .connectTimeout: "connect timeout"
        case .connectionRefused: "connection refused"
        case .connectFailed(let m): "connect failed: \(m)"
        case .readTimeout: "read timeout"
        case .timeout: "request timeout"
        case .remoteClosed: "remote closed the connection"
        case .invalidResponse(let m): "invalid response: \(m)"
        case .ioError(let m): "I/O error: \(m)"
        case .invalidRequest(let m): "invalid request: \(m)"
        case .requestBodyFailed(let m): "request body failed: \(m)"
        case .shutdown: "client shut down"
        case .cancelled: "cancelled"
        case .tls(let f): "TLS: \(f)"
        case .poolWaitTimeout: "no connection to the host became free in time"
        case .descriptorLimit: "out of file descriptors"
        }
    }

    /// Whether the client was overloaded (the request was never sent): a gateway answers
    /// 503 with `Retry-After` rather than 502 or 504.
    public var isOverload: Bool {
        switch self {
        case .poolWaitTimeout, .descriptorLimit: true
        default: false
        }
    }

    /// Whether this is a timeout (a gateway answers 504), as opposed to a 502-type failure.
    public var isTimeout: Bool {
        switch self {
        case .connectTimeout, .readTimeout, .timeout: true
        default: false
        }
    }
}

/// A request for `HTTPClient`.
public struct HTTPClientRequest: Sendable {
    /// A request body.
    public enum Body: Sendable {
        /// All bytes at once (sent with Content-Length).
        case bytes([UInt8])
        /// Streamed as it is produced (sent chunked unless the request sets Content-Length).
        case stream(RequestBody)
    }
    /// The method.
    public var method: HTTPMethod
    /// `http(s)://host[:port][/path][?query]`; IPv6 hosts in brackets.
    public var url: String
    /// Header fields; `Host` is added when absent, framing headers are set by the client.
    public var headers: HTTPHeaders
    /// The body.
    public var body: Body

    /// Makes a request.
    public init(method: HTTPMethod = .GET, url: String, headers: HTTPHeaders = HTTPHeaders(), body: Body = .bytes([])) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A response received by `HTTPClient`. The body streams in as it arrives; the
/// connection goes back to the pool once the whole body has been received, and is
/// closed instead if the body is dropped before that.
public struct HTTPClientResponse: Sendable {
    /// The status.
    public var status: HTTPStatus
    /// The reason phrase as received (may be empty).
    public var reason: String
    /// The protocol version of the response.
    public var version: HTTPVersion
    /// The header fields.
    public var headers: HTTPHeaders
    /// The body, streamed with back-pressure; `collect(upTo:)` reads it all.
    public var body: RequestBody
    /// After `HTTPClient.upgrade` answered `101`: the connection, now raw bytes both
    /// ways (the body is then empty). Nil for every other response.
    public var upgraded: UpgradedConnection?

    public init(status: HTTPStatus, reason: String = "", version: HTTPVersion = .http1_1,
                headers: HTTPHeaders = HTTPHeaders(), body: RequestBody = .empty) {
        self.status = status
        self.reason = reason
        self.version = version
        self.headers = headers
        self.body = body
    }
}

/// A parsed `http://` or `https://` URL.
struct ClientURL: Sendable, Equatable {
    /// The host as written (IPv6 without brackets).
    var host: String
    var port: Int
    /// Origin-form target: `/path?query`.
    var target: String
    var isIPv6: Bool
    /// `https://`: the connection runs TLS.
    var isTLS = false

    /// `host:port` (`[v6]:port`).
    var authority: String { (isIPv6 ? "[\(host)]" : host) + ":\(port)" }
    /// The pool key: the authority, prefixed with `https://` for TLS.
    var poolKey: String { isTLS ? "https://" + authority : authority }
    /// The Host header value (port omitted when it is the scheme's default).
    var hostHeader: String {
        let h = isIPv6 ? "[\(host)]" : host
        return port == (isTLS ? 443 : 80) ? h : "\(h):\(port)"
    }

    static func parse(_ url: String) throws(HTTPClientError) -> ClientURL {
        // Byte-level scan (no grapheme breaking): this runs for every proxied request.
        var u = url.utf8[...]
        let tls: Bool
        if u.count > 7, HTTPHeaders.equalsIgnoringCase(Substring(u.prefix(7)), "http://") {
            tls = false
            u = u.dropFirst(7)
        } else if u.count > 8, HTTPHeaders.equalsIgnoringCase(Substring(u.prefix(8)), "https://") {
            tls = true
            u = u.dropFirst(8)
        } else {
            throw .invalidURL(url)
        }
        if let h = u.firstIndex(of: UInt8(ascii: "#")) { u = u[..<h] }
        let authEnd = u.firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }) ?? u.endIndex
        let authority = u[..<authEnd]
        let rest = u[authEnd...]
        for b in rest where b <= 0x20 || b >= 0x7F { throw .invalidURL(url) }
        var target: String
        if rest.isEmpty { target = "/" } else if rest.first == UInt8(ascii: "?") { target = "/" + String(Substring(rest)) } else { target = String(Substring(rest)) }
        if authority.isEmpty || authority.contains(UInt8(ascii: "@")) { throw .invalidURL(url) }
        var host: Substring.UTF8View.SubSequence
        var portText: Substring.UTF8View.SubSequence?
        var v6 = false
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { throw .invalidURL(url) }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == UInt8(ascii: ":") else { throw .invalidURL(url) }
                portText = after.dropFirst()
            }
            v6 = true
            let ok = host.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x66) || b == UInt8(ascii: ":") || b == UInt8(ascii: ".") || b == UInt8(ascii: "%")
            }
            if host.isEmpty || !ok { throw .invalidURL(url) }
        } else {
            if let c = authority.firstIndex(of: UInt8(ascii: ":")) {
                host = authority[..<c]
                portText = authority[authority.index(after: c)...]
            } else {
                host = authority
            }
            if host.isEmpty || !host.allSatisfy({ CharClass.tchar[Int($0)] }) { throw .invalidURL(url) }
        }
        var port = tls ? 443 : 80
        if let p = portText {
            guard !p.isEmpty, p.count <= 5, p.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { throw .invalidURL(url) }
            var n = 0
            for b in p { n = n * 10 + Int(b - 0x30) }
            guard n > 0, n < 65536 else { throw .invalidURL(url) }
            port = n
        }
        return ClientURL(host: String(Substring(host)), port: port, target: target, isIPv6: v6, isTLS: tls)
    }
}
