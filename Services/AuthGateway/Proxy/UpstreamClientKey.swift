/// What picks an `HTTPClientTransport`'s pooled client: an upstream's address and
/// timeouts, and whether the client is for tunnels.
struct UpstreamClientKey: Hashable {
    /// The upstream's base URL.
    let baseURL: String
    /// Its read timeout.
    let readTimeout: Duration
    /// Its connect timeout.
    let connectTimeout: Duration
    /// Tunnels have a client of their own: an open tunnel holds its connection for
    /// as long as it lasts and must not take a place in the pool of ordinary requests.
    let tunnels: Bool
}
