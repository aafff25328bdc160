import Foundation
import HTTPCore
import ServiceKit

extension Gateway {
    /// Whether a request asks for a protocol upgrade (WebSocket).
    static func isUpgrade(_ request: Request) -> Bool {
        request.method == .GET && request.headers.hasToken("Connection", "upgrade") && request.headers["Upgrade"] != nil
    }

    /// `http://host:port` → (host, port).
    static func hostPort(_ base: String) -> (String, Int)? {
        guard base.hasPrefix("http://") else { return nil }
        var rest = base.dropFirst(7)
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            let host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            return (host, after.hasPrefix(":") ? Int(after.dropFirst()) ?? 80 : 80)
        }
        if let colon = rest.lastIndex(of: ":") { return (String(rest[..<colon]), Int(rest[rest.index(after: colon)...]) ?? 80) }
        return (String(rest), 80)
    }

    /// Tunnels an upgrade (WebSocket) to the upstream: the handshake is forwarded with the
    /// caller's identity; after `101` bytes flow both ways untouched until either side closes.
    func tunnel(_ request: Request, _ route: ProxyRoute, _ path: String, _ principal: Principal) async throws -> HTTPResponse {
        guard let (host, port) = Gateway.hostPort(route.upstream.baseURL) else {
            throw mapUpstream(.unreachable("bad upstream URL"), route.upstream, request.requestID)
        }
        var lines: HeaderLines
        do {
            lines = try upstreamHead(request, principal)
            try lines.add("Connection", "Upgrade")
            try lines.add("Upgrade", request.headers["Upgrade"] ?? "websocket")
        } catch {
            throw mapUpstream(.unreachable(error.description), route.upstream, request.requestID)
        }
        let bytes = Array("GET \(path)\(request.http.query.map { "?" + $0 } ?? "") HTTP/1.1\r\nHost: \(host):\(port)\r\n".utf8)
            + lines.bytes + Array("\r\n".utf8)
        let up = route.upstream
        let sock: TunnelSocket, status: Int, respHeaders: HTTPHeaders, rest: [UInt8]
        do {
            (sock, status, respHeaders, rest) = try await TunnelSocket.offLoop {
                let s = try TunnelSocket.connect(host: host, port: port, timeout: up.connectTimeout)
                do {
                    s.setTimeout(up.readTimeout)
                    try s.sendAll(bytes)
                    let (st, h, r) = try s.readHead()
                    return (s, st, h, r)
                } catch {
                    s.close()
                    throw error
                }
            }
        } catch {
            throw mapUpstream(error as? UpstreamError ?? .unreachable("\(error)"), up, request.requestID)
        }
        guard status == 101 else {
            sock.close()
            var h = respHeaders
            Gateway.stripHopByHop(&h)
            h.remove("Content-Length")
            h.remove("Date")
            return HTTPResponse(status: HTTPStatus(status), headers: h, body: .bytes(rest))
        }
        sock.setTimeout(nil)
        var h = HTTPHeaders()
        for (n, v) in respHeaders where n.lowercased().hasPrefix("sec-websocket-") { h.add(n, v) }
        h.add("Upgrade", respHeaders["Upgrade"] ?? "websocket")
        h.add("Connection", "Upgrade")
        var response = HTTPResponse(status: HTTPStatus(101), headers: h)
        response.upgrade = { conn in await Gateway.pump(conn, sock, rest) }
        metrics.increment("gateway_tunnels_total", help: "Upgraded connections tunnelled", labels: [("upstream", up.name)])
        return response
    }

    /// Copies bytes both ways until either side closes.
    static func pump(_ conn: UpgradedConnection, _ sock: TunnelSocket, _ first: [UInt8]) async {
        sock.retain()
        sock.retain()
        let (stream, feed) = AsyncStream<[UInt8]>.makeStream()
        let reader = Thread {
            while let b = sock.readSome() { feed.yield(b) }
            feed.finish()
        }
        reader.start()
        // Client → upstream; ends when the client closes (or the server drops the connection).
        Task {
            do {
                for try await chunk in conn.inbound {
                    try await TunnelSocket.offLoop { try sock.sendAll(chunk) }
                }
            } catch {}
            sock.shutdownBoth()
            sock.release()
        }
        // Upstream → client; when it ends the upgrade is over and the server closes the client side.
        do {
            if !first.isEmpty { try await conn.outbound.write(first) }
            for await b in stream { try await conn.outbound.write(b) }
        } catch {}
        sock.shutdownBoth()
        sock.release()
    }
}
