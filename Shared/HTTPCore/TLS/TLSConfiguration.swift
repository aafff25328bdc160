/// How `HTTPClient` sets up HTTPS connections. One OpenSSL context is built from it (on
/// the client's first `https://` request) and shared by all the client's connections.
public struct TLSConfiguration: Sendable, Equatable {
    /// The lowest protocol version a connection accepts.
    public enum Version: Sendable, Equatable {
        /// TLS 1.2 (the default).
        case tls1_2
        /// TLS 1.3 only.
        case tls1_3
    }

    /// Trust the system's CA store: OpenSSL's default locations, which `SSL_CERT_FILE`
    /// (a PEM bundle) and `SSL_CERT_DIR` (a hashed directory) replace when set.
    public var trustSystemStore = true
    /// A PEM file of further CA certificates to trust (a private CA, tests).
    public var additionalCAFile: String? = nil
    /// The lowest protocol version.
    public var minimumVersion = Version.tls1_2

    /// The defaults: the system store, TLS 1.2 or newer.
    public init() {}
}
