/// Everything a model needs for one completion: the text around the cursor and the models.
public struct CompletionContext: Sendable {
    /// The cursor marker the client sends.
    public static let cursorMarker = "<cursor>"
    /// UTF-8 bytes left of the cursor.
    public let prefixBytes: [UInt8]
    /// UTF-8 bytes right of the cursor.
    public let suffixBytes: [UInt8]
    /// Trained models for this request.
    public let resources: ModelResources

    /// Text left of the cursor.
    public var prefix: String { String(decoding: prefixBytes, as: UTF8.self) }
    /// Text right of the cursor.
    public var suffix: String { String(decoding: suffixBytes, as: UTF8.self) }

    /// Creates a context from text on both sides of the cursor.
    public init(prefix: String, suffix: String, resources: ModelResources = ModelResources()) {
        self.prefixBytes = Array(prefix.utf8)
        self.suffixBytes = Array(suffix.utf8)
        self.resources = resources
    }

    /// Creates a context from a whole file containing `<cursor>` exactly once.
    public init(fileText: String, resources: ModelResources = ModelResources()) throws(CompletionError) {
        let bytes = Array(fileText.utf8)
        let marker = Array(CompletionContext.cursorMarker.utf8)
        var found: [Int] = []
        if bytes.count >= marker.count {
            var i = 0
            let last = bytes.count - marker.count
            while i <= last {
                if bytes[i] == 60 && bytes[i + 1] == marker[1] && bytes[i..<(i + marker.count)].elementsEqual(marker) {
                    found.append(i)
                    if found.count > 1 { throw .multipleCursors }
                    i += marker.count
                } else { i += 1 }
            }
        }
        guard let at = found.first else { throw .missingCursor }
        self.prefixBytes = Array(bytes[..<at])
        self.suffixBytes = Array(bytes[(at + marker.count)...])
        self.resources = resources
    }

    /// The identifier characters immediately left of the cursor (what the user has typed).
    public var typedPrefix: String {
        var i = prefixBytes.count
        while i > 0 && isIdentChar(prefixBytes[i - 1]) { i -= 1 }
        return String(decoding: prefixBytes[i...], as: UTF8.self)
    }

    /// The text right of the cursor up to the end of its line.
    public var restOfLine: String {
        let end = suffixBytes.firstIndex(where: { $0 == 10 || $0 == 13 }) ?? suffixBytes.count
        return String(decoding: suffixBytes[..<end], as: UTF8.self)
    }
}
