/// Limits and policies of `JSONParser`.
///
/// Defaults: depth 128, no byte or string limit of its own (a server limits the body
/// before it is parsed), duplicate keys refused, a UTF-8 byte order mark refused.
public struct JSONParserOptions: Sendable, Equatable {
    /// What the parser does with a key that appears twice in one object.
    public enum DuplicateKeys: Sendable, Equatable {
        /// The document is refused (`JSONParseError.Reason.duplicateKey`): two readers of
        /// the same bytes can never disagree on the value.
        case reject
        /// The last value wins, at the position of the first occurrence.
        case keepLast
    }

    /// The deepest nesting of arrays and objects accepted (a document `[[1]]` has depth 2).
    public var maxDepth: Int
    /// The largest document accepted, in bytes.
    public var maxBytes: Int
    /// The longest string (key or value) accepted, in bytes of its decoded UTF-8.
    public var maxStringBytes: Int
    /// What to do with a key that appears twice in one object.
    public var duplicateKeys: DuplicateKeys
    /// Whether a leading UTF-8 byte order mark (EF BB BF) is skipped rather than refused
    /// (RFC 8259 §8.1: senders must not add one; receivers may ignore it).
    public var allowsByteOrderMark: Bool

    /// Options with the given limits and policies.
    public init(maxDepth: Int = 128, maxBytes: Int = .max, maxStringBytes: Int = .max,
                duplicateKeys: DuplicateKeys = .reject, allowsByteOrderMark: Bool = false) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
        self.maxStringBytes = maxStringBytes
        self.duplicateKeys = duplicateKeys
        self.allowsByteOrderMark = allowsByteOrderMark
    }
}
