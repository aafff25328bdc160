/// Settings of an `HTTPServer`; every limit and timeout is configurable.
public struct HTTPServerConfiguration: Sendable {
    /// Address to bind (`127.0.0.1`, `0.0.0.0`, `::1`, `::`, or a host name).
    public var host = "127.0.0.1"
    /// Port; 0 picks a free one (read it back from `HTTPServer.port`).
    public var port = 8080
    /// Parser limits (request line, header size and count, body size).
    public var limits = HTTPLimits()
    /// A keep-alive connection with no request for this long is closed.
    public var idleTimeout: Duration = .seconds(60)
    /// A request head must be complete within this long of its first byte (slowloris).
    public var headerReadTimeout: Duration = .seconds(10)
    /// A request body that makes no progress for this long is abandoned.
    public var bodyReadTimeout: Duration = .seconds(30)
    /// A response that cannot be written for this long closes the connection.
    public var writeTimeout: Duration = .seconds(30)
    /// Connections beyond this are closed as soon as accepted.
    public var maxConnections = 10_000
    /// The listen backlog.
    public var backlog: Int32 = 1024
    /// Bytes waiting to be sent above which a streaming writer is suspended.
    public var writeHighWater = 256 * 1024

    /// The defaults.
    public init() {}

    /// Defaults with a host and port.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

extension Duration {
    /// The duration in nanoseconds (saturating).
    var nanoseconds: UInt64 {
        let (s, a) = components
        if s < 0 { return 0 }
        // Capped (about 146 years) so that `stamp &+ timeout` never wraps.
        if s >= 1 << 32 { return 1 << 62 }
        return UInt64(s) &* 1_000_000_000 &+ UInt64(a / 1_000_000_000)
    }
}
