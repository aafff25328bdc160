import Crypto

/// The opening handshake (RFC 6455 §4): what a server checks in a client's request and
/// answers, and what a client sends and checks in the answer.
public enum WebSocketHandshake {
    /// The GUID appended to the key before hashing (RFC 6455 §1.3).
    public static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// `Sec-WebSocket-Accept` for a `Sec-WebSocket-Key`: base64(SHA-1(key + GUID)).
    public static func acceptValue(forKey key: String) -> String {
        Base64.standard.encode(SHA1.hash(Array((key + guid).utf8)))
    }

    /// A fresh `Sec-WebSocket-Key`: 16 random bytes (`SecureRandom`), base64.
    public static func makeKey() -> String {
        Base64.standard.encode(SecureRandom.bytes(16))
    }

    /// Whether `key` is 16 bytes in base64 (24 characters, `==` padded). As before the move
    /// to `Crypto`, bits after the last byte need not be zero (Foundation's decoder, and
    /// Python's, accept them; RFC 6455 asks only for 16 decoded bytes).
    static func isValidKey(_ key: String) -> Bool {
        guard key.utf8.count == 24 else { return false }
        do {
            return try Base64.standard.decode(key).count == 16
        } catch .nonCanonical {
            return key.hasSuffix("==")
        } catch {
            return false
        }
    }

    /// Why a request cannot be upgraded, with the status to answer.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// 400, 405 or 426 (wrong version: the answer names version 13).
        public let status: HTTPStatus
        /// What was wrong.
        public let reason: String
        /// `status: reason`.
        public var description: String { "\(status.code): \(reason)" }
    }

    /// Checks a client's opening handshake: GET, HTTP/1.1, `Upgrade: websocket`,
    /// `Connection: upgrade`, `Sec-WebSocket-Version: 13` and a key that is 16 bytes in
    /// base64. Returns the key.
    public static func validate(_ request: HTTPRequest) throws(Refusal) -> String {
        let headers = request.headers
        guard request.method == .GET else { throw Refusal(status: .methodNotAllowed, reason: "a WebSocket handshake must be a GET") }
        guard request.version == .http1_1 else { throw Refusal(status: .badRequest, reason: "a WebSocket handshake needs HTTP/1.1") }
        guard headers.hasToken("Upgrade", "websocket") else {
            throw Refusal(status: HTTPStatus(426), reason: "expected Upgrade: websocket")
        }
        guard headers.hasToken("Connection", "upgrade") else { throw Refusal(status: .badRequest, reason: "expected Connection: Upgrade") }
        let versions = headers.values("Sec-WebSocket-Version")
        guard versions.count == 1, versions[0].trimmedOfSpaces == "13" else {
            throw Refusal(status: HTTPStatus(426), reason: "Sec-WebSocket-Version must be 13")
        }
        let keys = headers.values("Sec-WebSocket-Key")
        guard keys.count == 1 else { throw Refusal(status: .badRequest, reason: "exactly one Sec-WebSocket-Key is required") }
        let key = keys[0].trimmedOfSpaces
        guard isValidKey(key) else {
            throw Refusal(status: .badRequest, reason: "Sec-WebSocket-Key must be 16 bytes in base64")
        }
        return key
    }

    /// The subprotocol a server picks: the first of its own it finds among the client's offers.
    public static func chooseSubprotocol(_ request: HTTPRequest, supported: [String]) -> String? {
        guard !supported.isEmpty else { return nil }
        let offered = request.headers.values("Sec-WebSocket-Protocol").flatMap { $0.split(separator: ",").map { String($0.trimmingSpaces) } }
        return supported.first { offered.contains($0) }
    }

    /// The header fields of a server's `101 Switching Protocols`.
    public static func responseHeaders(key: String, subprotocol: String?) -> HTTPHeaders {
        var headers: HTTPHeaders = ["Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Accept": acceptValue(forKey: key)]
        if let subprotocol { headers.add("Sec-WebSocket-Protocol", subprotocol) }
        return headers
    }

    /// The refusal as a response: plain text, and `Sec-WebSocket-Version: 13` with 426.
    public static func response(for refusal: Refusal) -> HTTPResponse {
        var response = HTTPResponse.text(refusal.reason + "\n", status: refusal.status)
        if refusal.status.code == 426 {
            response.headers.add("Sec-WebSocket-Version", "13")
            response.headers.add("Upgrade", "websocket")
        }
        if refusal.status == .methodNotAllowed { response.headers.add("Allow", "GET") }
        return response
    }

    /// Checks a server's answer to a client handshake sent with `key`: `101`,
    /// `Upgrade: websocket`, `Connection: upgrade`, the right accept value, and a
    /// subprotocol only from those offered. Returns the subprotocol, if any.
    public static func verify(status: HTTPStatus, headers: HTTPHeaders, key: String, offered: [String]) throws(WebSocketClientError) -> String? {
        guard status.code == 101 else { throw .refused(status: status, body: []) }
        guard headers.hasToken("Upgrade", "websocket") else { throw .invalidHandshake("the answer lacks Upgrade: websocket") }
        guard headers.hasToken("Connection", "upgrade") else { throw .invalidHandshake("the answer lacks Connection: Upgrade") }
        guard headers.values("Sec-WebSocket-Accept").count == 1, headers["Sec-WebSocket-Accept"]?.trimmedOfSpaces == acceptValue(forKey: key) else {
            throw .invalidHandshake("wrong Sec-WebSocket-Accept")
        }
        if headers["Sec-WebSocket-Extensions"] != nil { throw .invalidHandshake("an extension was not offered") }
        guard let chosen = headers["Sec-WebSocket-Protocol"]?.trimmedOfSpaces else { return nil }
        guard offered.contains(chosen) else { throw .invalidHandshake("subprotocol \(chosen) was not offered") }
        return chosen
    }
}
