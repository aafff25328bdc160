import Contracts
import Foundation
import HTTPCore
import ServiceKit

extension Gateway {
    /// Request headers never forwarded: credentials (the gateway consumed them) and
    /// client-sent identity (only the gateway may set it).
    static let credentialHeaders = ["Session-ID", "Authorization", "Coder-Session-Token", "API-Key"]
    /// Hop-by-hop headers (RFC 9110 §7.6.1), plus framing the client/server set themselves.
    static let hopByHop = DropList(["Connection", "Keep-Alive", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
                                    "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "Host"])

    /// Removes hop-by-hop headers, including those named by `Connection`.
    static func stripHopByHop(_ headers: inout HTTPHeaders) {
        headers = filtered(headers, dropping: hopByHop)
    }

    /// Every request header the gateway never forwards: hop-by-hop, credentials,
    /// client-sent identity, and the request id (set afresh).
    /// (`Expect: 100-continue` is answered by the gateway's own server, not forwarded.)
    static let dropFromRequests = DropList(hopByHop.names + credentialHeaders + IdentityHeaders.all + [requestIDHeader, "Expect"])

    /// Header names to drop, with a bit set per name length (most headers are kept after
    /// one bit test). Built once.
    struct DropList: Sendable {
        let names: [String]
        let lengths: UInt64

        init(_ names: [String]) {
            self.names = names
            var lengths: UInt64 = 0
            for d in names { lengths |= 1 << UInt64(min(d.utf8.count, 63)) }
            self.lengths = lengths
        }

        func contains(_ name: String, length len: Int) -> Bool {
            guard lengths & (1 << UInt64(min(len, 63))) != 0 else { return false }
            for d in names where d.utf8.count == len && HTTPHeaders.equalsIgnoringCase(d, name) { return true }
            return false
        }
    }

    /// One pass over `headers`, calling `keep` with each field not dropped: `names`, any
    /// `Proxy-*`, and the fields the `Connection` field names. Fields are examined in place.
    @inline(__always)
    static func forEachKept<E: Error>(_ headers: HTTPHeaders, dropping names: DropList,
                                      _ keep: (String, String) throws(E) -> Void) throws(E) {
        var named: [Substring] = []
        if let c = headers.index(of: "Connection") {
            for (n, v) in headers.fields[c...] where HTTPHeaders.equalsIgnoringCase(n, "Connection") {
                for t in v.split(separator: ",") { named.append(t.trimmingSpaces) }
            }
        }
        let fields = headers.fields
        outer: for i in fields.indices {
            let len = fields[i].name.utf8.count
            if names.contains(fields[i].name, length: len) { continue }
            if len > 6 && HTTPHeaders.equalsIgnoringCase(fields[i].name.prefix(6), "Proxy-") { continue }
            for d in named where HTTPHeaders.equalsIgnoringCase(d, fields[i].name) { continue outer }
            try keep(fields[i].name, fields[i].value)
        }
    }

    /// `headers` without the fields `forEachKept` drops, with room for the two or three
    /// the gateway adds to a response (the request id, CORS) without growing.
    static func filtered(_ headers: HTTPHeaders, dropping names: DropList) -> HTTPHeaders {
        var out: [(name: String, value: String)] = []
        out.reserveCapacity(headers.count + 3)
        forEachKept(headers, dropping: names) { out.append(($0, $1)) }
        return HTTPHeaders(fields: out)
    }

    /// Response headers never passed back: hop-by-hop, plus `Date` and the request id
    /// (the gateway's own server sets both).
    static let dropFromResponses = DropList(hopByHop.names + ["Date", requestIDHeader])

    /// The header lines sent upstream for a request by `principal`, composed in one pass:
    /// the client's fields less those never forwarded, then the caller's identity, the
    /// internal token, the request id and the forwarding fields (`X-Forwarded-For` gets
    /// the caller's address appended to any the client sent, `X-Forwarded-Host` the
    /// client's `Host` unless it sent one).
    func upstreamHead(_ request: Request, _ principal: Principal) throws(HTTPClientError) -> HeaderLines {
        let headers = request.headers
        var lines = HeaderLines(capacity: 320)
        var priorFor: String? = nil
        var hasForwardedHost = false
        try Gateway.forEachKept(headers, dropping: Gateway.dropFromRequests) { (name, value) throws(HTTPClientError) in
            switch name.utf8.count {
            case 15 where HTTPHeaders.equalsIgnoringCase(name, "X-Forwarded-For"):
                priorFor = priorFor.map { $0 + ", " + value } ?? value
                return
            case 16 where HTTPHeaders.equalsIgnoringCase(name, "X-Forwarded-Host"):
                hasForwardedHost = true
            default:
                break
            }
            try lines.add(name, value)
        }
        try lines.add(IdentityHeaders.userID, String(principal.userID))
        try lines.add(IdentityHeaders.userName, principal.name)
        try lines.add(IdentityHeaders.roles, principal.rolesHeader)
        guard let token = tokenLine else { throw .invalidRequest("INTERNAL_TOKEN cannot be sent as a header value") }
        lines.append(token)
        try lines.add(requestIDHeader, request.requestID)
        let remote = request.http.remoteHost
        if let forwardedFor = remote.isEmpty ? priorFor : priorFor.map({ $0 + ", " + remote }) ?? remote {
            try lines.add("X-Forwarded-For", forwardedFor)
        }
        if !hasForwardedHost, let host = headers["Host"] { try lines.add("X-Forwarded-Host", host) }
        return lines
    }

    typealias Reply = @Sendable (consuming Result<HTTPResponse, Error>) -> Void

    /// The catch-all: authenticate, rate-limit, forward, stream back. Completion style:
    /// a request with a cached session runs on the connection's loop from first byte to
    /// last without a task; anything that must wait (a database lookup, a streamed body,
    /// the authentication of a new credential) continues in one.
    func proxy(_ request: Request, reply: @escaping Reply) {
        guard let (route, path) = table.match(request.path) else {
            reply(.failure(ServiceError.notFound("no route for \(request.method) \(request.path)")))
            return
        }
        if case .session(let s)? = Gateway.credential(request.headers), let p = auth.cachedPrincipal(session: s) {
            forward(request, route, path, p, reply)
            return
        }
        Task {
            let principal: Principal
            do { principal = try await authenticate(request, realm: route.basicRealm) } catch { reply(.failure(error)); return }
            forward(request, route, path, principal, reply)
        }
    }

    /// The async form (tests, and requests that take the task path anyway).
    func proxy(_ request: Request) async throws -> HTTPResponse {
        try await withUnsafeThrowingContinuation { c in proxy(request) { c.resume(with: $0) } }
    }

    private func forward(_ request: Request, _ route: ProxyRoute, _ path: String, _ principal: Principal, _ reply: @escaping Reply) {
        if !route.roles.isEmpty && !principal.roles.contains(where: route.roles.contains) {
            reply(.failure(ServiceError.forbidden("requires role: \(route.roles.joined(separator: " or "))")))
            return
        }
        if let wait = limiter.acquire(principal.userID) {
            metrics.increment("gateway_rate_limited_total", help: "Requests refused by the rate limit")
            reply(.failure(ServiceError(.tooManyRequests, "rate limit exceeded; retry in \(wait) s", headers: ["Retry-After": String(wait)])))
            return
        }
        if route.tunnelsWebSockets && Gateway.isWebSocketUpgrade(request) {
            tunnel(request, route, path, principal, reply)
            return
        }
        // The completion keeps only what it needs (not the whole request).
        let upstream = route.upstream, method = request.method, requestID = request.requestID
        let lines: HeaderLines
        do { lines = try upstreamHead(request, principal) } catch {
            reply(.failure(mapUpstream(.unreachable(error.description), upstream, requestID)))
            return
        }
        var target = path
        if let q = request.http.query { target += "?" + q }
        let body: RequestBody
        if let b = request.http.body.buffered { body = .bytes(b) } else { body = request.http.body }
        let upstreamRequest = UpstreamRequest(method: request.method, target: target, lines: lines, body: body)
        transport.start(upstreamRequest, to: upstream) { [self] result in
            switch result {
            case .failure(let e): reply(.failure(mapUpstream(e, upstream, requestID)))
            case .success(let response): relay(response, method, requestID, upstream, reply)
            }
        }
    }

    /// The upstream's response, passed back: small bodies of known length whole (one
    /// write, no chunking), others streamed as they arrive.
    func relay(_ response: UpstreamResponse, _ method: HTTPMethod, _ requestID: String, _ upstream: Upstream,
                       _ reply: @escaping Reply) {
        var headers = Gateway.filtered(response.headers, dropping: Gateway.dropFromResponses)
        if method == .HEAD || response.status.forbidsBody {
            reply(.success(HTTPResponse(status: response.status, headers: consume headers, body: .stream { _ in })))
            return
        }
        let upstreamBody = response.body
        if let cl = headers["Content-Length"], let n = Int(cl), n <= 64 * 1024 {
            headers.remove("Content-Length")
            if let bytes = upstreamBody.buffered, bytes.count == n {
                // The header list moves into the reply with one owner, so the request id
                // is added to it in place further on.
                reply(.success(HTTPResponse(status: response.status, headers: consume headers, body: .bytes(bytes))))
            } else {
                relayCollected(response.status, consume headers, upstreamBody, n, requestID, upstream, reply)
            }
            return
        }
        reply(.success(HTTPResponse(status: response.status, headers: consume headers, body: .stream { writer in
            for try await chunk in upstreamBody { try await writer.write(chunk) }
        })))
    }

    /// A small body of known length that did not come with the head: collected, then
    /// passed back whole (one write, no chunking).
    private func relayCollected(_ status: HTTPStatus, _ headers: HTTPHeaders, _ body: RequestBody, _ length: Int,
                                _ requestID: String, _ upstream: Upstream, _ reply: @escaping Reply) {
        Task {
            do {
                let bytes = try await body.collect(upTo: length)
                reply(.success(HTTPResponse(status: status, headers: headers, body: .bytes(bytes))))
            } catch {
                reply(.failure(mapUpstream(error as? UpstreamError ?? transport.classify(error), upstream, requestID)))
            }
        }
    }

    func mapUpstream(_ e: UpstreamError, _ upstream: Upstream, _ requestID: String) -> ServiceError {
        switch e {
        case .timeout(let why):
            metrics.increment("gateway_upstream_errors_total", help: "Failed upstream exchanges", labels: [("upstream", upstream.name), ("kind", "timeout")])
            logger.warning("upstream timeout", requestID: requestID, [("upstream", upstream.name), ("error", why)])
            return ServiceError(.gatewayTimeout, "\(upstream.name) did not answer in time")
        case .unreachable(let why):
            metrics.increment("gateway_upstream_errors_total", help: "Failed upstream exchanges", labels: [("upstream", upstream.name), ("kind", "unreachable")])
            logger.warning("upstream unreachable", requestID: requestID, [("upstream", upstream.name), ("error", why)])
            return ServiceError(.badGateway, "\(upstream.name) is unreachable")
        }
    }

    /// `GET /health`: healthy when every upstream's own `/health` answers 2xx.
    func health() async -> HTTPResponse {
        let timeout = options.healthTimeout
        let transport = self.transport
        let results = await withTaskGroup(of: (String, String).self) { group in
            for u in upstreams {
                group.addTask {
                    var probe = u
                    probe.readTimeout = timeout
                    probe.connectTimeout = min(u.connectTimeout, timeout)
                    do {
                        let r = try await transport.send(UpstreamRequest(method: .GET, target: "/health", lines: HeaderLines(), body: .empty), to: probe)
                        _ = try? await r.body.collect(upTo: 64 * 1024)
                        return (u.name, (200..<300).contains(r.status.code) ? "healthy" : "unhealthy (status \(r.status.code))")
                    } catch UpstreamError.timeout {
                        return (u.name, "timeout")
                    } catch {
                        return (u.name, "unreachable")
                    }
                }
            }
            var out: [String: String] = [:]
            for await (n, s) in group { out[n] = s }
            return out
        }
        if results.values.allSatisfy({ $0 == "healthy" }) {
            return .json(AuthGatewayAPI.HealthReport(status: "healthy"))
        }
        return .json(AuthGatewayAPI.HealthReport(status: "degraded", services: results), status: .serviceUnavailable)
    }
}
