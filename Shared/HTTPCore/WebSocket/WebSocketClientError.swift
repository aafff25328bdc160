/// Why a WebSocket client could not connect.
public enum WebSocketClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL is not `ws://host[:port][/path]` (or `http://`).
    case invalidURL(String)
    /// The server answered with another status than 101 (its body, up to 64 KiB).
    case refused(status: HTTPStatus, body: [UInt8])
    /// The server's 101 broke the handshake rules.
    case invalidHandshake(String)
    /// The HTTP exchange failed.
    case http(HTTPClientError)

    public var description: String {
        switch self {
        case .invalidURL(let url): "invalid WebSocket URL: \(url)"
        case .refused(let status, _): "handshake refused with \(status)"
        case .invalidHandshake(let why): "invalid handshake answer: \(why)"
        case .http(let error): error.description
        }
    }
}
