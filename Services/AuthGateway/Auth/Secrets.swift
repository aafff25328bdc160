import Crypto

/// The gateway's secrets (API keys, session ids): how they are made, stored and screened.
/// The primitives (random bytes, SHA-256, base64url) are the shared `Crypto` module's.
public enum Secrets {
    /// The recognisable prefix of every API key (easy to spot in leaked logs or commits).
    public static let keyPrefix = "cbk_"

    /// A new API key: `cbk_` + 256 random bits in base64url (43 characters).
    public static func newAPIKey() -> String { keyPrefix + Base64.url.encode(SecureRandom.bytes(32)) }

    /// A new session id: 256 random bits in base64url (43 characters).
    public static func newSessionID() -> String { Base64.url.encode(SecureRandom.bytes(32)) }

    /// The stored form of a secret: SHA-256 of its UTF-8, 64 lowercase hex digits.
    public static func digest(_ secret: String) -> String { SHA256.hex(secret) }

    /// The SHA-256 of a secret as a value (in-memory cache keys).
    public static func digestValue(_ secret: String) -> SHA256.Digest { SHA256.digest(secret) }

    /// Whether text looks like one of our secrets (base64url charset, sane length): cheap
    /// rejection before any hashing or database work.
    public static func isPlausible(_ s: String, maxLength: Int = 128) -> Bool {
        let u = s.utf8
        guard !u.isEmpty && u.count <= maxLength else { return false }
        @inline(__always) func ok(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
        }
        return u.withContiguousStorageIfAvailable { p in
            for c in p where !ok(c) { return false }
            return true
        } ?? u.allSatisfy(ok)
    }
}
