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
    public static func isPlausible(_ text: String, maxLength: Int = 128) -> Bool {
        let utf8 = text.utf8
        guard !utf8.isEmpty && utf8.count <= maxLength else { return false }
        @inline(__always) func isBase64URL(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x5F
        }
        return utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes where !isBase64URL(byte) { return false }
            return true
        } ?? utf8.allSatisfy(isBase64URL)
    }
}
