/// One token: its kind and its byte range in the UTF-8 source.
public struct PyToken: Sendable, Equatable {
    /// The token's category.
    public var kind: PyTokenKind
    /// Byte offset of the first byte.
    public var start: Int
    /// Byte offset just past the last byte.
    public var end: Int

    /// Creates a token.
    public init(kind: PyTokenKind, start: Int, end: Int) {
        self.kind = kind
        self.start = start
        self.end = end
    }

    /// The token's text within `source` (the bytes it was produced from).
    public func text(in source: [UInt8]) -> String {
        guard start >= 0, end <= source.count, start <= end else { return "" }
        return String(decoding: source[start..<end], as: UTF8.self)
    }
}
