import Synchronization

/// A pooled HTTP/1.1 client over the event loops: keep-alive connections per
/// (scheme, host, port) with a cap, connect/read/total timeouts, streamed bodies both ways,
/// and retries of idempotent requests that hit a stale keep-alive connection. `https://`
/// runs the same connections over TLS (OpenSSL; one context per client, built on first use).
public final class HTTPClient: Sendable {
    /// Its settings.
    public let configuration: HTTPClientConfiguration
    let group: EventLoopGroup
    private let pools = Mutex<[String: ConnectionPool]>([:])
    /// The pool used last (a proxy mostly talks to one upstream per client): no dictionary lookup.
    private let lastPool = Mutex<ConnectionPool?>(nil)
    /// The TLS context shared by the `https://` pools, made on first use.
    private let tlsContext = Mutex<TLSContext?>(nil)

    /// Makes a client; connections are spread over `group`'s loops.
    public init(group: EventLoopGroup = .shared, configuration: HTTPClientConfiguration = .init()) {
        self.group = group
        self.configuration = configuration
    }

    /// Sends a request and returns when the response head has arrived; the body streams.
    /// `timeout` (or the configuration's) bounds the whole exchange, body included.
    public func execute(_ request: HTTPClientRequest, timeout: Duration? = nil) async throws -> HTTPClientResponse {
        if Task.isCancelled { throw HTTPClientError.cancelled }
        let url = try ClientURL.parse(request.url)
        let pool = try self.pool(for: url)
        let prepared = try HTTPClient.prepare(request, url: url, hostHeader: pool.hostHeader)
        let exchange = Exchange(prepared: prepared, pool: pool, retryable: HTTPClient.retryable(request.method, request.body),
                                deadline: deadline(timeout), waiterID: pool.newWaiterID())
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (c: UnsafeContinuation<HTTPClientResponse, Error>) in
                run(exchange) { c.resume(with: $0.mapError { $0 }) }
            }
        } onCancel: {
            pool.failWaiter(id: exchange.waiterID, with: HTTPClientError.cancelled)
        }
    }

    /// A resolved `http(s)://host[:port]` to send many requests to without parsing a URL
    /// each time (a proxy's upstream).
    public struct Endpoint: Sendable {
        let pool: ConnectionPool
    }

    /// The endpoint for `baseURL` (`http(s)://host[:port]`; a path is ignored).
    public func endpoint(_ baseURL: String) throws(HTTPClientError) -> Endpoint {
        Endpoint(pool: try pool(for: try ClientURL.parse(baseURL)))
    }

    /// Sends `method target` to `endpoint` without a task: `completion` is called once,
    /// with the response when its head arrived (on the connection's loop thread, which
    /// is the caller's loop when it is one) or with an `HTTPClientError`.
    public func send(_ method: HTTPMethod, _ target: String, headers: HTTPHeaders, body: HTTPClientRequest.Body = .bytes([]),
                     to endpoint: Endpoint, timeout: Duration? = nil,
                     completion: @escaping @Sendable (Result<HTTPClientResponse, HTTPClientError>) -> Void) {
        let lines: HeaderLines
        do { lines = try HeaderLines(headers) } catch { completion(.failure(error)); return }
        send(method, target, lines: lines, body: body, to: endpoint, timeout: timeout, completion: completion)
    }

    /// The same with the header fields already serialised (a proxy's forwarded head).
    public func send(_ method: HTTPMethod, _ target: String, lines: HeaderLines, body: HTTPClientRequest.Body = .bytes([]),
                     to endpoint: Endpoint, timeout: Duration? = nil,
                     completion: @escaping @Sendable (Result<HTTPClientResponse, HTTPClientError>) -> Void) {
        let prepared: PreparedRequest
        do {
            prepared = try HTTPClient.prepare(method, target: target, lines: lines, body: body, hostHeader: endpoint.pool.hostHeader)
        } catch {
            completion(.failure(error))
            return
        }
        let exchange = Exchange(prepared: prepared, pool: endpoint.pool, retryable: HTTPClient.retryable(method, body),
                                deadline: deadline(timeout), waiterID: 0)
        run(exchange, completion)
    }

    /// Sends `GET target` asking for a protocol change (`lines` carry `Connection: Upgrade`,
    /// `Upgrade: …` and what that protocol needs). A `101` answer arrives with `upgraded`
    /// set: the connection has left the pool's reuse and carries raw bytes both ways,
    /// without timeouts, until one side closes it. Any other answer is an ordinary
    /// response (its body streams as usual). `completion` is called once, on the
    /// connection's loop thread.
    public func upgrade(_ target: String, lines: HeaderLines, to endpoint: Endpoint, timeout: Duration? = nil,
                        completion: @escaping @Sendable (Result<HTTPClientResponse, HTTPClientError>) -> Void) {
        var prepared: PreparedRequest
        do {
            prepared = try HTTPClient.prepare(.GET, target: target, lines: lines, body: .bytes([]), hostHeader: endpoint.pool.hostHeader)
        } catch {
            completion(.failure(error))
            return
        }
        prepared.upgrade = true
        let exchange = Exchange(prepared: prepared, pool: endpoint.pool, retryable: true,
                                deadline: deadline(timeout), waiterID: 0)
        run(exchange, completion)
    }

    /// One request on its way: what is sent, where, and how often it was retried.
    struct Exchange: Sendable {
        let prepared: PreparedRequest
        let pool: ConnectionPool
        let retryable: Bool
        let deadline: UInt64
        var waiterID: UInt64
        var attempts = 0
    }

    private func deadline(_ timeout: Duration?) -> UInt64 {
        (timeout ?? configuration.timeout).map { Sys.now() &+ $0.nanoseconds } ?? 0
    }

    /// Idempotent methods with a buffered body may be retried on a stale connection.
    private static func retryable(_ method: HTTPMethod, _ body: HTTPClientRequest.Body) -> Bool {
        if case .stream = body { return false }
        switch method {
        case .GET, .HEAD, .PUT, .DELETE, .OPTIONS, .TRACE: return true
        default: return false
        }
    }

    typealias Completion = @Sendable (Result<HTTPClientResponse, HTTPClientError>) -> Void

    /// Leases a connection (usually an idle one, at once) and runs the exchange on it;
    /// a stale reused connection is retried when allowed.
    private func run(_ exchange: Exchange, _ completion: @escaping Completion) {
        let loop = EventLoop.current
        do {
            if let quick = try exchange.pool.tryAcquire(loop: loop) {
                start(exchange, quick, loop, completion)
                return
            }
        } catch {
            completion(.failure(error))
            return
        }
        var e = exchange
        if e.waiterID == 0 { e.waiterID = e.pool.newWaiterID() }
        let queued = e
        // The wait ends at the pool-wait limit (overload: 503) or the total deadline
        // (a timeout: 504), whichever comes first.
        let total: UInt64? = e.deadline == 0 ? nil : e.deadline
        let waitLimit = configuration.poolWaitTimeout.map { Sys.now() &+ $0.nanoseconds }
        let (deadline, expiry): (UInt64?, HTTPClientError) = switch (total, waitLimit) {
        case (let t?, let w?): t <= w ? (t, .timeout) : (w, .poolWaitTimeout)
        case (let t?, nil): (t, .timeout)
        case (nil, let w?): (w, .poolWaitTimeout)
        case (nil, nil): (nil, .timeout)
        }
        e.pool.acquire(id: e.waiterID, loop: loop, deadline: deadline, expiry: expiry) { lease in
            switch lease {
            case .success(let l): self.start(queued, l, loop, completion)
            case .failure(let err): completion(.failure(err as? HTTPClientError ?? .ioError("\(err)")))
            }
        }
    }

    private func start(_ exchange: Exchange, _ lease: ConnectionPool.Lease, _ callerLoop: EventLoop?,
                       _ completion: @escaping Completion) {
        let conn: ClientConnection
        var address: SocketAddress? = nil
        let reused: Bool
        switch lease {
        case .reuse(let c):
            conn = c
            reused = true
        case .create:
            conn = ClientConnection(loop: callerLoop ?? group.next(), pool: exchange.pool, configuration: configuration)
            reused = false
            if let failure = conn.loop.setupFailure {
                conn.close()  // frees the slot
                completion(.failure(.ioError(failure.description)))
                return
            }
            do { address = try exchange.pool.address() } catch {
                conn.close()  // frees the slot
                completion(.failure(error))
                return
            }
        }
        conn.start(exchange.prepared, address: address, reused: reused, deadline: exchange.deadline) { result in
            switch result {
            case .success(let r):
                completion(.success(r))
            case .failure(let e as StaleConnectionError):
                var next = exchange
                next.attempts += 1
                if exchange.retryable && next.attempts <= self.configuration.maxStaleRetries {
                    self.run(next, completion)
                } else {
                    completion(.failure(e.underlying))
                }
            case .failure(let e):
                completion(.failure(e as? HTTPClientError ?? .ioError("\(e)")))
            }
        }
    }

    /// GET `url`.
    public func get(_ url: String, headers: HTTPHeaders = HTTPHeaders(), timeout: Duration? = nil) async throws -> HTTPClientResponse {
        try await execute(HTTPClientRequest(method: .GET, url: url, headers: headers), timeout: timeout)
    }

    /// POST `body` to `url`.
    public func post(_ url: String, body: [UInt8], headers: HTTPHeaders = HTTPHeaders(), timeout: Duration? = nil) async throws -> HTTPClientResponse {
        try await execute(HTTPClientRequest(method: .POST, url: url, headers: headers, body: .bytes(body)), timeout: timeout)
    }

    /// Closes idle connections and refuses new requests; busy connections close when done.
    public func shutdown() async {
        let all = pools.withLock { p -> [ConnectionPool] in
            let a = Array(p.values)
            p.removeAll()
            return a
        }
        lastPool.withLock { $0 = nil }
        for pool in all {
            for conn in pool.shutdown() {
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                    conn.loop.execute { conn.close(); c.resume() }
                }
            }
        }
    }

    /// Statistics of the pool for `host:port` (`tls`: the `https://` one) (tests, metrics):
    /// open, idle, most open at once.
    public func poolStats(host: String, port: Int, tls: Bool = false) -> (open: Int, idle: Int, maxOpen: Int)? {
        let key = (tls ? "https://" : "") + (host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host) + ":\(port)"
        guard let p = pools.withLock({ $0[key] }) else { return nil }
        return (p.openCount, p.idleCount, p.maxOpenSeen)
    }

    func pool(for url: ClientURL) throws(HTTPClientError) -> ConnectionPool {
        let key = url.poolKey
        if let last = lastPool.withLock({ $0 }), last.key == key { return last }
        let tls = url.isTLS ? try sharedTLSContext() : nil
        let pool = pools.withLock { p -> ConnectionPool in
            if let existing = p[key] { return existing }
            let n = ConnectionPool(url: url, cap: configuration.maxConnectionsPerHost, tls: tls)
            p[key] = n
            return n
        }
        lastPool.withLock { $0 = pool }
        return pool
    }

    /// The client's one TLS context (built from `configuration.tls` on first use).
    private func sharedTLSContext() throws(HTTPClientError) -> TLSContext {
        let made = tlsContext.withLock { held -> Result<TLSContext, TLSFailure> in
            if let held { return .success(held) }
            do throws(TLSFailure) {
                let context = try TLSContext(configuration.tls)
                held = context
                return .success(context)
            } catch {
                return .failure(error)
            }
        }
        switch made {
        case .success(let context): return context
        case .failure(let failure): throw .tls(failure)
        }
    }

    /// Serializes the request head (and decides the framing).
    static func prepare(_ r: HTTPClientRequest, url: ClientURL) throws(HTTPClientError) -> PreparedRequest {
        try prepare(r, url: url, hostHeader: Array(url.hostHeader.utf8))
    }

    /// Serializes the request head; `hostHeader` is the Host value's bytes (cached per pool).
    static func prepare(_ r: HTTPClientRequest, url: ClientURL, hostHeader: [UInt8]) throws(HTTPClientError) -> PreparedRequest {
        try prepare(r.method, target: url.target, headers: r.headers, body: r.body, hostHeader: hostHeader)
    }

    /// Serializes the request head for an origin-form `target` (`/path?query`).
    static func prepare(_ method: HTTPMethod, target: String, headers: HTTPHeaders, body: HTTPClientRequest.Body,
                        hostHeader: [UInt8]) throws(HTTPClientError) -> PreparedRequest {
        try prepare(method, target: target, lines: try HeaderLines(headers), body: body, hostHeader: hostHeader)
    }

    /// Serializes the request head: the request line, `lines`, `Host` unless given, and
    /// the body's framing.
    static func prepare(_ method: HTTPMethod, target: String, lines: HeaderLines, body: HTTPClientRequest.Body,
                        hostHeader: [UInt8]) throws(HTTPClientError) -> PreparedRequest {
        guard target.utf8.first == UInt8(ascii: "/"), target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .invalidRequest("invalid request target")
        }
        let name = method.rawValue
        guard !name.isEmpty, name.utf8.allSatisfy({ CharClass.tchar[Int($0)] }) else { throw .invalidRequest("invalid method") }
        var head: [UInt8] = []
        head.reserveCapacity(112 + lines.bytes.count + target.utf8.count)
        head.appendUTF8(name)
        head.append(0x20)
        head.appendUTF8(target)
        head.append(contentsOf: " HTTP/1.1\r\n".utf8)
        head.append(contentsOf: lines.bytes)
        if !lines.hasHost {
            head.append(contentsOf: "Host: ".utf8)
            head.append(contentsOf: hostHeader)
            head.append(0x0D); head.append(0x0A)
        }
        var chunked = false
        switch body {
        case .bytes(let b):
            if !b.isEmpty || method == .POST || method == .PUT || method == .PATCH {
                head.append(contentsOf: "Content-Length: ".utf8)
                head.append(contentsOf: String(b.count).utf8)
                head.append(0x0D); head.append(0x0A)
            }
        case .stream:
            if let n = lines.contentLength {
                head.append(contentsOf: "Content-Length: ".utf8)
                head.append(contentsOf: String(n).utf8)
                head.append(0x0D); head.append(0x0A)
            } else {
                head.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
                chunked = true
            }
        }
        head.append(0x0D); head.append(0x0A)
        return PreparedRequest(head: head, body: body, isHEAD: method == .HEAD, wantsClose: lines.wantsClose, chunkedUpload: chunked)
    }
}
