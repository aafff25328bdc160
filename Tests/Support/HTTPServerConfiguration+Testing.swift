import HTTPCore

extension HTTPServerConfiguration {
    /// A test server's settings: `host` (loopback) and `port` (0: any free one), with every
    /// timeout a hang guard of five minutes instead of production's limits (10 s for a
    /// request head, 30 s for a stalled body or write, 60 s idle), which a loaded machine
    /// can exceed while a test merely waits between two steps. A test of a timeout sets
    /// that one itself.
    public static func testing(host: String = "127.0.0.1", port: Int = 0) -> HTTPServerConfiguration {
        var configuration = HTTPServerConfiguration(host: host, port: port)
        configuration.idleTimeout = .seconds(300)
        configuration.headerReadTimeout = .seconds(300)
        configuration.bodyReadTimeout = .seconds(300)
        configuration.writeTimeout = .seconds(300)
        return configuration
    }
}
