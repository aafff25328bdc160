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
    /// A request body that makes no progress for this long is abandoned (408).
    public var bodyReadTimeout: Duration = .seconds(30)
    /// The slowest average a request body may arrive at, in bytes per second (0: no
    /// minimum). A body must be complete within `bodyReadTimeout` plus one second per
    /// this many bytes received, so a client dripping a byte every few seconds cannot
    /// hold a request (and the upstream connection behind it) open; time the handler
    /// spends not reading (back-pressure, an unanswered `100-continue`) does not count.
    public var bodyMinimumRate = 1024
    /// A response that cannot be written for this long closes the connection.
    public var writeTimeout: Duration = .seconds(30)
    /// Connections beyond this are answered 503 and closed as soon as accepted. The
    /// default is half of the descriptors sockets may use under the soft `RLIMIT_NOFILE`
    /// (`DescriptorLimit.defaultMaxConnections`), read when the configuration is made.
    public var maxConnections = DescriptorLimit.defaultMaxConnections
    /// An accepted socket numbered at or above this is answered 503 and closed: the
    /// descriptors above it are the process's reserve (`DescriptorLimit`).
    public var socketCeiling = DescriptorLimit.socketCeiling
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
