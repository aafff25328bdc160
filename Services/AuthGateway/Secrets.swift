/// Random secrets (API keys, session ids) and their safe handling.
public enum Secrets {
    /// The recognisable prefix of every API key (easy to spot in leaked logs or commits).
    public static let keyPrefix = "cbk_"

    /// `count` random bytes from the system's CSPRNG.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        var out = [UInt8]()
        out.reserveCapacity(count + 8)
        while out.count < count {
            let v: UInt64 = g.next()
            withUnsafeBytes(of: v) { out.append(contentsOf: $0) }
        }
        return Array(out.prefix(count))
    }

    /// A new API key: `cbk_` + 256 random bits in base64url (43 characters).
    public static func newAPIKey() -> String { keyPrefix + base64url(randomBytes(32)) }

    /// A new session id: 256 random bits in base64url (43 characters).
    public static func newSessionID() -> String { base64url(randomBytes(32)) }

    /// The stored form of a secret: SHA-256, hex.
    public static func digest(_ secret: String) -> String { SHA256.hex(secret) }

    /// The SHA-256 of a secret as a value (in-memory cache keys).
    public static func digestValue(_ secret: String) -> SHA256.Digest { SHA256.digest(secret) }

    /// Lowercase hex of bytes.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0x0f)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Base64url without padding (RFC 4648 §5).
    public static func base64url(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out = [UInt8]()
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [table[Int(n >> 18)], table[Int((n >> 12) & 63)], table[Int((n >> 6) & 63)], table[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [table[Int(n >> 18)], table[Int((n >> 12) & 63)]]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [table[Int(n >> 18)], table[Int((n >> 12) & 63)], table[Int((n >> 6) & 63)]]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Compares two strings without an early exit on the first difference.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(truncatingIfNeeded: x.count ^ y.count)
        for i in 0..<max(x.count, y.count) {
            diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
        }
        return diff == 0
    }

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
