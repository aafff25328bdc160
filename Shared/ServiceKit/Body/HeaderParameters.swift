/// A header value of the form `value; name=token; name="quoted string"` (RFC 9110 §5.6.6), as
/// `Content-Type` and `Content-Disposition` carry it.
///
/// Parameter names are matched case-insensitively; a value is a token or a quoted string, in
/// which `\"` and `\\` are escapes and any other backslash is kept (browsers send Windows
/// paths unescaped). Empty parameters (`;;`, a trailing `;`) are skipped. A repeated
/// parameter, a name that is not a token or an unterminated quoted string makes the whole
/// value invalid: two readings of one header are what smuggling relies on.
public struct HeaderParameters: Sendable, Equatable {
    /// One `name=value` parameter.
    public struct Parameter: Sendable, Equatable {
        /// The name, lowercased.
        public var name: String
        /// The value, unquoted.
        public var value: String
    }

    /// The leading value, lowercased (`multipart/form-data`, `form-data`).
    public var value: String
    /// The parameters in their order.
    public var parameters: [Parameter]

    /// A parameter's value by name (case-insensitive).
    public subscript(_ name: String) -> String? {
        let lower = name.lowercased()
        return parameters.first { $0.name == lower }?.value
    }

    /// Parses `text`; nil when it is malformed.
    public init?(parsing text: String) {
        var scanner = Scanner(bytes: Array(text.utf8))
        scanner.skipSpaces()
        let leading = scanner.take { $0 != UInt8(ascii: ";") }
        value = String(decoding: leading, as: UTF8.self).trimmingSpaces.lowercased()
        parameters = []
        while !scanner.isAtEnd {
            guard scanner.skip(UInt8(ascii: ";")) else { return nil }
            scanner.skipSpaces()
            if scanner.isAtEnd || scanner.peek == UInt8(ascii: ";") { continue }
            let name = scanner.take(while: Self.isTokenByte)
            guard !name.isEmpty else { return nil }
            scanner.skipSpaces()
            guard scanner.skip(UInt8(ascii: "=")) else { return nil }
            scanner.skipSpaces()
            let raw: [UInt8]
            if scanner.peek == UInt8(ascii: "\"") {
                guard let quoted = scanner.quotedString() else { return nil }
                raw = quoted
            } else {
                raw = scanner.take { $0 != UInt8(ascii: ";") && $0 != 0x20 && $0 != 0x09 }
            }
            scanner.skipSpaces()
            let key = String(decoding: name, as: UTF8.self).lowercased()
            guard !parameters.contains(where: { $0.name == key }) else { return nil }
            guard let text = String(validating: raw, as: UTF8.self) else { return nil }
            parameters.append(Parameter(name: key, value: text))
        }
    }

    /// RFC 9110 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    /// A cursor over the header value's bytes.
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        var isAtEnd: Bool { index >= bytes.count }
        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpaces() {
            while index < bytes.count && (bytes[index] == 0x20 || bytes[index] == 0x09) { index += 1 }
        }

        mutating func skip(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            index += 1
            return true
        }

        mutating func take(while accept: (UInt8) -> Bool) -> [UInt8] {
            let start = index
            while index < bytes.count && accept(bytes[index]) { index += 1 }
            return Array(bytes[start..<index])
        }

        /// A quoted string starting at the opening quote; nil when it is not closed.
        mutating func quotedString() -> [UInt8]? {
            index += 1
            var out: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\\"), index + 1 < bytes.count,
                   bytes[index + 1] == UInt8(ascii: "\"") || bytes[index + 1] == UInt8(ascii: "\\") {
                    out.append(bytes[index + 1])
                    index += 2
                    continue
                }
                index += 1
                if byte == UInt8(ascii: "\"") { return out }
                out.append(byte)
            }
            return nil
        }
    }
}
