/// Errors raised while decoding a binary cache.
public enum BinaryCodecError: Error, Sendable {
    /// The data ended early or has a bad header.
    case corrupt(String)
}
