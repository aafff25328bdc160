import HTTPCore

extension HTTPClientConfiguration {
    /// A test client's settings: connect and read timeouts that are hang guards (two and
    /// five minutes) instead of production's 10 s and 60 s, which a loaded machine can
    /// exceed while the server under test merely waits for a thread. A test of a timeout
    /// sets that one itself.
    public static func testing() -> HTTPClientConfiguration {
        var configuration = HTTPClientConfiguration()
        configuration.connectTimeout = .seconds(120)
        configuration.readTimeout = .seconds(300)
        return configuration
    }
}
