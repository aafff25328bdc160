import HTTPCore
import ServiceKit
import Synchronization

/// The production transport: one pooled keep-alive `HTTPClient` per upstream, so each
/// gets its own connect and read timeouts (a read timeout bounds silence, not the
/// whole exchange: an SSE stream may run as long as events keep coming).
public final class HTTPClientTransport: UpstreamTransport {
    private let group: EventLoopGroup
    private let maxConnections: Int
    private struct Key: Hashable {
        let baseURL: String
        let readTimeout: Duration
        let connectTimeout: Duration
        /// Tunnels have a client of their own: an open tunnel holds its connection for
        /// as long as it lasts and must not take a place in the pool of ordinary requests.
        let tunnels: Bool
    }
    private let clients = Mutex<[(key: Key, value: (HTTPClient, HTTPClient.Endpoint))]>([])

    public init(group: EventLoopGroup = .shared, maxConnectionsPerHost: Int = 256) {
        self.group = group
        self.maxConnections = maxConnectionsPerHost
    }

    /// The pooled client and resolved endpoint for an upstream (made on first use).
    func client(for u: Upstream, tunnels: Bool = false) throws(HTTPClientError) -> (HTTPClient, HTTPClient.Endpoint) {
        let key = Key(baseURL: u.baseURL, readTimeout: u.readTimeout, connectTimeout: u.connectTimeout, tunnels: tunnels)
        // A handful of upstreams: a scan with cheap equality (the same string storage
        // compares by identity) beats hashing the URL on every request.
        if let hit = clients.withLock({ c in c.first(where: { $0.key == key })?.value }) { return hit }
        var conf = HTTPClientConfiguration()
        conf.connectTimeout = u.connectTimeout
        conf.readTimeout = u.readTimeout
        // Tunnels are capped per user by the gateway, not by the pool.
        conf.maxConnectionsPerHost = tunnels ? Int.max / 2 : maxConnections
        conf.limits.maxBodyBytes = Int.max  // responses stream through; the client sets no size cap
        let client = HTTPClient(group: group, configuration: conf)
        let made = (client, try client.endpoint(u.baseURL))
        return clients.withLock { c in
            if let existing = c.first(where: { $0.key == key })?.value { return existing }
            c.append((key, made))
            return made
        }
    }

    public func send(_ request: UpstreamRequest, to upstream: Upstream) async throws -> UpstreamResponse {
        try await withUnsafeThrowingContinuation { c in
            start(request, to: upstream) { c.resume(with: $0) }
        }
    }

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
        if let b = request.body.buffered { body = .bytes(b) } else { body = .stream(request.body) }
        client.send(request.method, request.target, lines: request.lines, body: body, to: endpoint) { result in
            switch result {
            case .success(let r): completion(.success(UpstreamResponse(status: r.status, headers: r.headers, body: r.body)))
            case .failure(let e): completion(.failure(e.isTimeout ? .timeout(e.description) : .unreachable(e.description)))
            }
        }
    }

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
            case .success(let r):
                completion(.success(UpstreamResponse(status: r.status, headers: r.headers, body: r.body, upgraded: r.upgraded)))
            case .failure(let e):
                completion(.failure(e.isTimeout ? .timeout(e.description) : .unreachable(e.description)))
            }
        }
    }

    public func classify(_ error: any Error) -> UpstreamError {
        if let e = error as? HTTPClientError {
            return e.isTimeout ? .timeout(e.description) : .unreachable(e.description)
        }
        return .unreachable(String(describing: error))
    }

    public func shutdown() async {
        let all = clients.withLock { c -> [HTTPClient] in let a = c.map(\.value.0); c.removeAll(); return a }
        for c in all { await c.shutdown() }
    }
}

extension AuthGatewayService {
    /// The production transport.
    public static func defaultTransport(_ options: GatewayOptions) -> any UpstreamTransport {
        HTTPClientTransport(maxConnectionsPerHost: options.upstreamMaxConnections)
    }
}
