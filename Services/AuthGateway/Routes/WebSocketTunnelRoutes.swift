import HTTPCore
import ServiceKit

extension Gateway {
    /// Whether a request asks to become a WebSocket (`GET`, `Connection: upgrade`,
    /// `Upgrade: websocket`). Only routes that tunnel (`/ws`) act on it; elsewhere it is
    /// an ordinary request (the upgrade fields are hop-by-hop and not forwarded).
    static func isWebSocketUpgrade(_ request: Request) -> Bool {
        request.method == .GET && request.headers.hasToken("Connection", "upgrade") && request.headers.hasToken("Upgrade", "websocket")
    }

    /// Tunnels a WebSocket upgrade to the route's upstream, completion style on the
    /// event loops: the caller's place under `WS_MAX_TUNNELS_PER_USER` (429 beyond), the
    /// handshake forwarded with the caller's identity through the HTTP client, and on
    /// `101` the bytes relayed both ways (`WebSocketTunnel`). Any other answer from the
    /// upstream is relayed whole as an ordinary response.
    func tunnel(_ request: Request, along route: ProxyRoute, upstreamPath: String, principal: Principal, reply: @escaping Reply) {
        let upstream = route.upstream, requestID = request.requestID
        guard let lease = tunnels.open(userID: principal.userID) else {
            metrics.increment("gateway_tunnels_refused_total", help: "WebSocket tunnels refused at the per-user cap")
            reply(.failure(ServiceError(.tooManyRequests, "too many open WebSocket connections: at most \(tunnels.maxPerUser) per user")))
            return
        }
        var lines: HeaderLines
        do {
            lines = try ForwardedHeaders.upstreamHead(for: request, principal: principal, internalTokenLine: internalTokenLine)
            try lines.add("Connection", "Upgrade")
            try lines.add("Upgrade", "websocket")
        } catch {
            lease.release()
            reply(.failure(upstreamFailure(.unreachable(error.description), upstream: upstream, requestID: requestID)))
            return
        }
        var target = upstreamPath
        if let query = request.http.query { target += "?" + query }
        let idleTimeout = tunnelIdleTimeout
        transport.upgrade(UpstreamRequest(method: .GET, target: target, lines: lines, body: .empty), to: upstream) { [self] result in
            switch result {
            case .failure(let error):
                lease.release()
                reply(.failure(upstreamFailure(error, upstream: upstream, requestID: requestID)))
            case .success(let response):
                guard response.status.code == 101, let connection = response.upgraded else {
                    lease.release()
                    relay(response, method: .GET, requestID: requestID, from: upstream, holding: nil, reply: reply)
                    return
                }
                let tunnel = WebSocketTunnel(upstream: connection, lease: lease, idleTimeout: idleTimeout)
                var headers = HTTPHeaders()
                for (name, value) in response.headers
                where name.utf8.count > 14 && HTTPHeaders.equalsIgnoringCase(name.prefix(14), "Sec-WebSocket-") {
                    headers.add(name, value)
                }
                headers.add("Upgrade", "websocket")
                headers.add("Connection", "Upgrade")
                var answer = HTTPResponse(status: HTTPStatus(101), headers: headers)
                answer.upgrade = { client in await tunnel.run(client: client) }
                metrics.increment("gateway_tunnels_total", help: "WebSocket connections tunnelled", labels: [("upstream", upstream.name)])
                reply(.success(answer))
            }
        }
    }
}
