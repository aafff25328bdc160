/// One backend service the gateway forwards to.
public struct Upstream: Sendable, Equatable {
    /// Its name (`predictor`, `task-manager`, ...).
    public var name: String
    /// Its base URL, `http://host:port` (no trailing slash).
    public var baseURL: String
    /// Longest silence allowed while waiting for the response (head or body): past it, 504.
    public var readTimeout: Duration
    /// Longest time to establish a connection: past it, 504.
    public var connectTimeout: Duration

    /// An upstream; trailing slashes of `baseURL` are dropped.
    public init(name: String, baseURL: String, readTimeout: Duration, connectTimeout: Duration) {
        self.name = name
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.baseURL = trimmed
        self.readTimeout = readTimeout
        self.connectTimeout = connectTimeout
    }
}
