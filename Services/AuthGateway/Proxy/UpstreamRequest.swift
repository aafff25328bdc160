import HTTPCore

/// A request to an upstream.
public struct UpstreamRequest: Sendable {
    /// The method.
    public var method: HTTPMethod
    /// Origin-form target on the upstream: `/path?query`.
    public var target: String
    /// The header fields, serialised as they were composed (the client adds `Host` and
    /// the body's framing).
    public var lines: HeaderLines
    /// Buffered or streamed.
    public var body: RequestBody

    /// A request.
    public init(method: HTTPMethod, target: String, lines: HeaderLines, body: RequestBody) {
        self.method = method
        self.target = target
        self.lines = lines
        self.body = body
    }

    /// The header fields, read back from `lines`.
    public var headers: HTTPHeaders { lines.headers }
}
