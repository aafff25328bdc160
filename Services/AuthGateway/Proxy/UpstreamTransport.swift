/// How the gateway talks to upstreams (pooled keep-alive HTTP client in production).
public protocol UpstreamTransport: Sendable {
    /// Sends a request to `upstream`; returns once the response head arrived.
    func send(_ request: UpstreamRequest, to upstream: Upstream) async throws -> UpstreamResponse
    /// The same in completion style (the proxy's hot path, no task): `completion` is
    /// called once, on any thread. By default it runs `send` in a task.
    func start(_ request: UpstreamRequest, to upstream: Upstream,
               completion: @escaping @Sendable (Result<UpstreamResponse, UpstreamError>) -> Void)
    /// Sends an upgrade request (`GET`, its lines asking for the protocol); `completion`
    /// gets a `101` with `upgraded` set, or any other answer as an ordinary response.
    /// By default a transport cannot upgrade (502).
    func upgrade(_ request: UpstreamRequest, to upstream: Upstream,
                 completion: @escaping @Sendable (Result<UpstreamResponse, UpstreamError>) -> Void)
    /// Closes pooled connections.
    func shutdown() async
    /// What an error thrown while reading a response body means.
    func classify(_ error: any Error) -> UpstreamError
}

extension UpstreamTransport {
    /// Cannot upgrade: 502.
    public func upgrade(_ request: UpstreamRequest, to upstream: Upstream,
                        completion: @escaping @Sendable (Result<UpstreamResponse, UpstreamError>) -> Void) {
        completion(.failure(.unreachable("this transport cannot upgrade connections")))
    }

    /// Runs `send` in a task.
    public func start(_ request: UpstreamRequest, to upstream: Upstream,
                      completion: @escaping @Sendable (Result<UpstreamResponse, UpstreamError>) -> Void) {
        Task {
            do {
                completion(.success(try await send(request, to: upstream)))
            } catch let error as UpstreamError {
                completion(.failure(error))
            } catch {
                completion(.failure(classify(error)))
            }
        }
    }
}
