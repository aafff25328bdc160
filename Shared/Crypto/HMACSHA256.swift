/// HMAC with SHA-256 (RFC 2104; test vectors in RFC 4231): a message authentication code
/// keyed by a secret of any length (keys longer than a block are hashed first).
///
/// Streaming: `init(key:)`, `update` any number of times, `finalize`. One-shot:
/// `authenticationCode(for:key:)`. Compare codes with `ConstantTime.equals`.
public struct HMACSHA256: Sendable {
    /// The hasher already fed the key's inner pad (where every message starts).
    private let innerPadded: SHA256
    /// The hasher already fed the key's outer pad; it receives the inner digest at the end.
    private let outerPadded: SHA256
    /// The inner hash of the pad and the message so far.
    private var inner: SHA256

    /// A MAC computation keyed by `key`.
    public init<Key: Sequence>(key: Key) where Key.Element == UInt8 {
        var block = [UInt8](key)
        if block.count > SHA256.blockSize { block = SHA256.hash(block) }
        block += [UInt8](repeating: 0, count: SHA256.blockSize - block.count)
        var outer = SHA256(), innerStart = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        innerStart.update(block.map { $0 ^ 0x36 })
        outerPadded = outer
        innerPadded = innerStart
        inner = innerStart
    }

    /// A MAC computation keyed by a string's UTF-8.
    public init(key: String) { self.init(key: Array(key.utf8)) }

    /// Feeds message bytes.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 { inner.update(bytes) }

    /// Feeds a string's UTF-8.
    public mutating func update(_ text: String) { inner.update(text) }

    /// Feeds the bytes of a buffer.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) { inner.update(buffer) }

    /// The authentication code of everything fed so far; the computation starts over
    /// afterwards with the same key.
    public mutating func finalize() -> SHA256.Digest {
        let innerDigest = inner.finalize()
        var outer = outerPadded
        innerDigest.withUnsafeBytes { outer.update($0) }
        inner = innerPadded
        return outer.finalize()
    }

    /// The authentication code of `message` under `key`.
    public static func authenticationCode<Message: Sequence, Key: Sequence>(for message: Message, key: Key) -> SHA256.Digest
        where Message.Element == UInt8, Key.Element == UInt8 {
        var mac = HMACSHA256(key: key)
        mac.update(message)
        return mac.finalize()
    }

    /// The authentication code of a string's UTF-8 under a string key's UTF-8.
    public static func authenticationCode(for message: String, key: String) -> SHA256.Digest {
        var mac = HMACSHA256(key: key)
        mac.update(message)
        return mac.finalize()
    }
}
