import HTTPCore

/// `ComputeClient` over the platform's pooled `HTTPClient`: keep-alive connections to
/// compute, `https://` through TLS (the system trust store; `SSL_CERT_FILE` honoured).
public final class HTTPComputeClient: ComputeClient {
    private let client: HTTPClient
    private let timeout: Duration?

    /// - Parameters:
    ///   - timeout: per-push timeout in seconds (the whole exchange); 0 or less: none.
    ///   - configuration: the client's settings (pool, TLS trust).
    public init(timeout: Double = 10, configuration: HTTPClientConfiguration = .init()) {
        client = HTTPClient(configuration: configuration)
        self.timeout = timeout > 0 ? .nanoseconds(Int64(timeout * 1e9)) : nil
    }

    public func postJSON(_ url: String, body: [UInt8]) async throws -> Int {
        let response = try await client.post(url, body: body, headers: ["Content-Type": "application/json"], timeout: timeout)
        // Read the answer to its end (unused) so the connection goes back to the pool.
        for try await _ in response.body {}
        return response.status.code
    }
}
