import HTTPCore
import ServiceKit
import Synchronization

/// The production transport: one pooled keep-alive `HTTPClient` per upstream, so each
/// gets its own connect and read timeouts (a read timeout bounds silence, not the
/// whole exchange: an SSE stream may run as long as events keep coming).
public final class HTTPClientTransport: UpstreamTransport {
    private let group: EventLoopGroup
    private let maxConnections: Int
    private let poolWait: Duration
    private let clients = Mutex<[(key: UpstreamClientKey, value: (HTTPClient, HTTPClient.Endpoint))]>([])

    /// A transport on `group`, pooling up to `maxConnectionsPerHost` connections per
    /// upstream; a request waits at most `poolWait` for one when all are busy (then 503).
    public init(group: EventLoopGroup = .shared, maxConnectionsPerHost: Int = 256, poolWait: Duration = .seconds(10)) {
        self.group = group
        self.maxConnections = maxConnectionsPerHost
        self.poolWait = poolWait
    }

    /// The pooled client and resolved endpoint for an upstream (made on first use).
    func client(for upstream: Upstream, tunnels: Bool = false) throws(HTTPClientError) -> (HTTPClient, HTTPClient.Endpoint) {
        let key = UpstreamClientKey(baseURL: upstream.baseURL, readTimeout: upstream.readTimeout,
                                    connectTimeout: upstream.connectTimeout, tunnels: tunnels)
        // A handful of upstreams: a scan with cheap equality (the same string storage
        // compares by identity) beats hashing the URL on every request.
        if let hit = clients.withLock({ clients in clients.first(where: { $0.key == key })?.value }) { return hit }
        var configuration = HTTPClientConfiguration()
        configuration.connectTimeout = upstream.connectTimeout
        configuration.readTimeout = upstream.readTimeout
        // Tunnels are capped per user by the gateway, not by the pool.
        configuration.maxConnectionsPerHost = tunnels ? Int.max / 2 : maxConnections
        configuration.poolWaitTimeout = poolWait
        configuration.limits.maxBodyBytes = Int.max  // responses stream through; the client sets no size cap
        let client = HTTPClient(group: group, configuration: configuration)
        let made = (client, try client.endpoint(upstream.baseURL))
        return clients.withLock { clients in
            if let existing = clients.first(where: { $0.key == key })?.value { return existing }
            clients.append((key, made))
            return made
        }
    }

    /// Sends through `start`, suspended until the response head arrives.
    public func send(_ request: UpstreamRequest, to upstream: Upstream) async throws -> UpstreamResponse {
        try await withUnsafeThrowingContinuation { continuation in
            start(request, to: upstream) { continuation.resume(with: $0) }
        }
    }

    /// Sends on the pooled client, completion style.
    public func start(_ request: UpstreamRequest, to upstream: Upstream,
                      completion: @escaping @Sendable (Result<UpstreamResponse, UpstreamError>) -> Void) {
        let client: HTTPClient, endpoint: HTTPClient.Endpoint
        do {
            (client, endpoint) = try self.client(for: upstream)
        } catch {
            completion(.failure(.unreachable(error.description)))
            return
        }
        let body: HTTPClientRequest.Body
        if let bytes = request.body.buffered { body = .bytes(bytes) } else { body = .stream(request.body) }
        client.send(request.method, request.target, lines: request.lines, body: body, to: endpoint) { result in
            switch result {
            case .success(let response):
                completion(.success(UpstreamResponse(status: response.status, headers: response.headers, body: response.body)))
            case .failure(let error):
                completion(.failure(UpstreamError(error)))
            }
        }
    }

    /// Sends an upgrade request on the tunnels' client.
    public func upgrade(_ request: UpstreamRequest, to upstream: Upstream,
                        completion: @escaping @Sendable (Result<UpstreamResponse, UpstreamError>) -> Void) {
        let client: HTTPClient, endpoint: HTTPClient.Endpoint
        do {
            (client, endpoint) = try self.client(for: upstream, tunnels: true)
        } catch {
            completion(.failure(.unreachable(error.description)))
            return
        }
        client.upgrade(request.target, lines: request.lines, to: endpoint) { result in
            switch result {
            case .success(let response):
                completion(.success(UpstreamResponse(status: response.status, headers: response.headers, body: response.body,
                                                     upgraded: response.upgraded)))
            case .failure(let error):
                completion(.failure(UpstreamError(error)))
            }
        }
    }

    /// A client failure as `UpstreamError(_:)` maps it; anything else, unreachable.
    public func classify(_ error: any Error) -> UpstreamError {
        if let clientError = error as? HTTPClientError { return UpstreamError(clientError) }
        return .unreachable(String(describing: error))
    }

    /// Shuts every pooled client down.
    public func shutdown() async {
        let all = clients.withLock { clients -> [HTTPClient] in
            let all = clients.map(\.value.0)
            clients.removeAll()
            return all
        }
        for client in all { await client.shutdown() }
    }
}
