import HTTPCore

/// One backend service the gateway forwards to.
public struct Upstream: Sendable, Equatable {
    /// Its name (`predictor`, `task-manager`, ...).
    public var name: String
    /// Its base URL, `http://host:port` (no trailing slash).
    public var baseURL: String
    /// Longest silence allowed while waiting for the response (head or body): past it, 504.
    public var readTimeout: Duration
    /// Longest time to establish a connection: past it, 504.
    public var connectTimeout: Duration

    public init(name: String, baseURL: String, readTimeout: Duration, connectTimeout: Duration) {
        self.name = name
        var u = baseURL
        while u.hasSuffix("/") { u.removeLast() }
        self.baseURL = u
        self.readTimeout = readTimeout
        self.connectTimeout = connectTimeout
    }
}

/// A request to an upstream.
public struct UpstreamRequest: Sendable {
    public var method: HTTPMethod
    /// Origin-form target on the upstream: `/path?query`.
    public var target: String
    /// The header fields, serialised as they were composed (the client adds `Host` and
    /// the body's framing).
    public var lines: HeaderLines
    /// Buffered or streamed.
    public var body: RequestBody
    public init(method: HTTPMethod, target: String, lines: HeaderLines, body: RequestBody) {
        self.method = method
        self.target = target
        self.lines = lines
        self.body = body
    }

    /// The header fields, read back from `lines`.
    public var headers: HTTPHeaders { lines.headers }
}

/// An upstream's response; the body streams.
public struct UpstreamResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: RequestBody
    /// After an upgrade request answered `101`: the upstream connection, raw bytes both ways.
    public var upgraded: UpgradedConnection?
    public init(status: HTTPStatus, headers: HTTPHeaders, body: RequestBody, upgraded: UpgradedConnection? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.upgraded = upgraded
    }
}

/// Why an upstream exchange failed.
public enum UpstreamError: Error, Equatable {
    /// Connection refused, reset, bad response... (502).
    case unreachable(String)
    /// Connect or read timeout (504).
    case timeout(String)
}

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
    public func upgrade(_ request: UpstreamRequest, to upstream: Upstream,
                        completion: @escaping @Sendable (Result<UpstreamResponse, UpstreamError>) -> Void) {
        completion(.failure(.unreachable("this transport cannot upgrade connections")))
    }

    public func start(_ request: UpstreamRequest, to upstream: Upstream,
                      completion: @escaping @Sendable (Result<UpstreamResponse, UpstreamError>) -> Void) {
        Task {
            do {
                completion(.success(try await send(request, to: upstream)))
            } catch let e as UpstreamError {
                completion(.failure(e))
            } catch {
                completion(.failure(classify(error)))
            }
        }
    }
}
