/// Opens WebSocket connections (`ws://` over `HTTPClient`'s event loops): the opening
/// handshake with a fresh random key, the answer checked (101, the accept value, no
/// extension, a subprotocol only from those offered), then a client-role `WebSocket`
/// that masks every frame with a random key.
public enum WebSocketClient {
    /// Connects to `url` (`ws://host[:port]/path?query`; `http://` is taken as the same),
    /// sending `headers` with the handshake. `timeout` bounds the handshake.
    public static func connect(_ url: String, headers: HTTPHeaders = HTTPHeaders(),
                               configuration: WebSocketConfiguration = WebSocketConfiguration(),
                               using client: HTTPClient, timeout: Duration? = .seconds(30)) async throws(WebSocketClientError) -> WebSocket {
        let httpURL: String
        if url.hasPrefix("ws://") { httpURL = "http://" + url.dropFirst(5) }
        else if url.hasPrefix("http://") { httpURL = url }
        else { throw .invalidURL(url) }
        let parsed: ClientURL, endpoint: HTTPClient.Endpoint
        do {
            parsed = try ClientURL.parse(httpURL)
            endpoint = try client.endpoint(httpURL)
        } catch {
            throw .invalidURL(url)
        }
        let key = WebSocketHandshake.makeKey()
        var lines: HeaderLines
        do {
            lines = try HeaderLines(headers)
            try lines.add("Upgrade", "websocket")
            try lines.add("Connection", "Upgrade")
            try lines.add("Sec-WebSocket-Key", key)
            try lines.add("Sec-WebSocket-Version", "13")
            if !configuration.subprotocols.isEmpty {
                try lines.add("Sec-WebSocket-Protocol", configuration.subprotocols.joined(separator: ", "))
            }
        } catch {
            throw .http(error)
        }
        let result = await withCheckedContinuation { (c: CheckedContinuation<Result<HTTPClientResponse, HTTPClientError>, Never>) in
            client.upgrade(parsed.target, lines: lines, to: endpoint, timeout: timeout) { c.resume(returning: $0) }
        }
        let response: HTTPClientResponse
        switch result {
        case .failure(let error): throw .http(error)
        case .success(let r): response = r
        }
        guard let connection = response.upgraded else {
            let body = (try? await response.body.collect(upTo: 64 * 1024)) ?? []
            throw .refused(status: response.status, body: body)
        }
        let subprotocol: String?
        do {
            subprotocol = try WebSocketHandshake.verify(status: response.status, headers: response.headers, key: key,
                                                        offered: configuration.subprotocols)
        } catch {
            connection.close()
            throw error
        }
        let socket = WebSocket(connection: connection, role: .client, subprotocol: subprotocol, configuration: configuration)
        socket.start()
        return socket
    }
}
