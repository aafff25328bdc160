import ServiceKit

/// A change that ends credentials, announced by the store's write that makes it
/// (`GatewayStore.revocationChannel`) so that every replica's `Authenticator` drops what it
/// cached of them: PostgreSQL delivers it to every process using the schema (other gateway
/// replicas, whatever the command line changed); SQLite only within the process that wrote.
/// Sent as JSON (`payload`), at most `maxSessionHashes` session digests in one.
public enum Revocation: Codable, Sendable, Equatable {
    /// A key was revoked: its principal and its sessions end.
    case key(id: Int64)
    /// A user was disabled: its keys and sessions end.
    case user(id: Int64)
    /// Sessions ended (by digest), e.g. the oldest of a key past `MAX_SESSIONS_PER_KEY`.
    case sessions(hashes: [String])

    /// The most session digests one notification carries (about 6.8 KB of JSON, under
    /// PostgreSQL's 8,000-byte payload limit); more are sent in several.
    public static let maxSessionHashes = 100

    /// The notification's text.
    public var payload: String {
        get throws { String(decoding: try JSON.encode(self), as: UTF8.self) }
    }

    /// The revocation a notification's text announces; nil when it is not one (the
    /// receiver then drops everything it cached).
    public init?(payload: String) {
        guard let decoded = try? JSON.decode(Revocation.self, from: Array(payload.utf8)) else { return nil }
        self = decoded
    }

    /// The revocations announcing that `hashes` ended, `maxSessionHashes` at a time.
    public static func sessions(ending hashes: [String]) -> [Revocation] {
        stride(from: 0, to: hashes.count, by: maxSessionHashes).map { start in
            .sessions(hashes: Array(hashes[start..<min(start + maxSessionHashes, hashes.count)]))
        }
    }
}
