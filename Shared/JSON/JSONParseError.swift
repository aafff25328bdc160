/// Why a document is not accepted, and the byte offset (from 0) where the parser found out.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public enum Reason: Sendable, Equatable {
        /// The document ended inside a value (or was empty).
        case unexpectedEnd
        /// A byte that cannot stand here.
        case unexpectedByte(UInt8)
        /// A comma directly before `]` or `}`.
        case trailingComma
        /// More than whitespace after the value.
        case trailingData
        /// A number with a leading zero (`01`), a missing digit (`1.`, `-`, `1e`), or `NaN`/`Infinity`.
        case invalidNumber
        /// A backslash followed by something other than `"\/bfnrtu` or four hex digits.
        case invalidEscape
        /// A `\u` escape of a surrogate that is not half of a pair.
        case loneSurrogate
        /// A control character (below 0x20) inside a string.
        case controlCharacterInString
        /// Bytes that are not UTF-8.
        case invalidUTF8
        /// Nesting deeper than `maxDepth`.
        case tooDeep(limit: Int)
        /// A document longer than `maxBytes`.
        case tooLarge(limit: Int)
        /// A string longer than `maxStringBytes`.
        case stringTooLong(limit: Int)
        /// A key appearing twice in one object (with `DuplicateKeys.reject`).
        case duplicateKey(String)
        /// A UTF-8 byte order mark at the start (without `allowsByteOrderMark`).
        case byteOrderMark
    }

    /// What is wrong.
    public let reason: Reason
    /// The byte offset of the offending byte (or of the start of the offending token).
    public let offset: Int

    /// An error at `offset`.
    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// `<what> at byte <offset>`, e.g. `trailing comma at byte 6`.
    public var description: String { "\(reason.text) at byte \(offset)" }
}

extension JSONParseError.Reason {
    /// A short, client-facing phrase.
    var text: String {
        switch self {
        case .unexpectedEnd: "unexpected end of document"
        case .unexpectedByte(let b):
            b >= 0x21 && b < 0x7F ? "unexpected character '\(Character(Unicode.Scalar(b)))'" : "unexpected byte 0x\(String(b, radix: 16, uppercase: true))"
        case .trailingComma: "trailing comma"
        case .trailingData: "data after the document"
        case .invalidNumber: "invalid number"
        case .invalidEscape: "invalid escape sequence"
        case .loneSurrogate: "unpaired UTF-16 surrogate escape"
        case .controlCharacterInString: "unescaped control character in string"
        case .invalidUTF8: "invalid UTF-8"
        case .tooDeep(let limit): "nesting deeper than \(limit)"
        case .tooLarge(let limit): "document larger than \(limit) bytes"
        case .stringTooLong(let limit): "string longer than \(limit) bytes"
        case .duplicateKey(let k): "duplicate key \"\(k.count > 64 ? String(k.prefix(64)) + "…" : k)\""
        case .byteOrderMark: "byte order mark"
        }
    }
}
