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
    }
    private let clients = Mutex<[Key: HTTPClient]>([:])

    public init(group: EventLoopGroup = .shared, maxConnectionsPerHost: Int = 256) {
        self.group = group
        self.maxConnections = maxConnectionsPerHost
    }

    func client(for u: Upstream) -> HTTPClient {
        let key = Key(baseURL: u.baseURL, readTimeout: u.readTimeout, connectTimeout: u.connectTimeout)
        return clients.withLock { c in
            if let existing = c[key] { return existing }
            var conf = HTTPClientConfiguration()
            conf.connectTimeout = u.connectTimeout
            conf.readTimeout = u.readTimeout
            conf.maxConnectionsPerHost = maxConnections
            conf.limits.maxBodyBytes = Int.max  // responses stream through; the client sets no size cap
            let client = HTTPClient(group: group, configuration: conf)
            c[key] = client
            return client
        }
    }

    public func send(_ request: UpstreamRequest, to upstream: Upstream) async throws -> UpstreamResponse {
        let body: HTTPClientRequest.Body
        if let b = request.body.buffered { body = .bytes(b) } else { body = .stream(request.body) }
        do {
            let r = try await client(for: upstream).execute(
                HTTPClientRequest(method: request.method, url: request.url, headers: request.headers, body: body))
            return UpstreamResponse(status: r.status, headers: r.headers, body: r.body)
        } catch {
            throw classify(error)
        }
    }

    public func classify(_ error: any Error) -> UpstreamError {
        if let e = error as? HTTPClientError {
            return e.isTimeout ? .timeout(e.description) : .unreachable(e.description)
        }
        return .unreachable(String(describing: error))
    }

    public func shutdown() async {
        let all = clients.withLock { c -> [HTTPClient] in let a = Array(c.values); c.removeAll(); return a }
        for c in all { await c.shutdown() }
    }
}

extension AuthGatewayService {
    /// The production transport.
    public static func defaultTransport(_ config: Config) -> any UpstreamTransport {
        HTTPClientTransport(maxConnectionsPerHost: config.int("UPSTREAM_MAX_CONNECTIONS"))
    }
}
