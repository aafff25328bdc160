import Crypto
import HTTPCore

/// The header block of one `multipart/form-data` part (RFC 7578 §4): the field name and
/// file name from `Content-Disposition: form-data`, the `Content-Type`, and every header line.
public struct MultipartPartHead: Sendable, Equatable {
    /// The form field's name (`name`).
    public var name: String
    /// The file name: `filename*` (RFC 8187, UTF-8 or ISO-8859-1) when present, else
    /// `filename`; nil for a plain field. Sent as the client wrote it (no path stripping).
    public var filename: String?
    /// The part's `Content-Type`, if given (RFC 7578 §4.4: `text/plain` when absent).
    public var contentType: String?
    /// Every header line of the part, in order.
    public var headers: HTTPHeaders

    /// A head with these fields.
    public init(name: String, filename: String? = nil, contentType: String? = nil, headers: HTTPHeaders = HTTPHeaders()) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.headers = headers
    }

    public static func == (lhs: MultipartPartHead, rhs: MultipartPartHead) -> Bool {
        lhs.name == rhs.name && lhs.filename == rhs.filename && lhs.contentType == rhs.contentType
            && lhs.headers.fields.elementsEqual(rhs.headers.fields) { $0.name == $1.name && $0.value == $1.value }
    }

    /// Parses a header block (the bytes between the boundary line and the blank line, without
    /// the final CRLF CRLF). Lines end in CRLF; folded lines, bare CR or LF, names that are
    /// not tokens, text that is not UTF-8, a missing or repeated `Content-Disposition`, one
    /// that is not `form-data` or has no `name`: each is a 400.
    static func parse(_ block: ArraySlice<UInt8>) throws(MultipartError) -> MultipartPartHead {
        var headers = HTTPHeaders()
        var lineStart = block.startIndex
        while lineStart < block.endIndex {
            var lineEnd = lineStart
            while lineEnd < block.endIndex && block[lineEnd] != 13 && block[lineEnd] != 10 { lineEnd += 1 }
            if lineEnd < block.endIndex {
                guard block[lineEnd] == 13, lineEnd + 1 < block.endIndex, block[lineEnd + 1] == 10 else {
                    throw MultipartError(.malformed, "multipart part headers must end each line with CRLF")
                }
            }
            let (name, value) = try parseLine(block[lineStart..<lineEnd])
            headers.add(name, value)
            lineStart = lineEnd + 2
        }
        let dispositions = headers.values("Content-Disposition")
        guard dispositions.count == 1, let disposition = HeaderParameters(parsing: dispositions[0]) else {
            throw MultipartError(.malformed, dispositions.count > 1
                ? "multipart part has more than one Content-Disposition"
                : dispositions.isEmpty ? "multipart part has no Content-Disposition: form-data; name=..."
                                       : "multipart part has a malformed Content-Disposition")
        }
        guard disposition.value == "form-data" else {
            throw MultipartError(.malformed, "multipart part is not form-data (Content-Disposition: \(disposition.value.prefix(40)))")
        }
        guard let name = disposition["name"] else {
            throw MultipartError(.malformed, "multipart part has no name in its Content-Disposition")
        }
        var filename = disposition["filename"]
        if let extended = disposition["filename*"] {
            guard let decoded = decodeExtendedValue(extended) else {
                throw MultipartError(.malformed, "multipart part has a malformed filename* (RFC 8187: charset'language'percent-encoded)")
            }
            filename = decoded
        }
        let types = headers.values("Content-Type")
        guard types.count <= 1 else { throw MultipartError(.malformed, "multipart part has more than one Content-Type") }
        return MultipartPartHead(name: name, filename: filename, contentType: types.first, headers: headers)
    }

    /// `Name: value` → the pair, value trimmed of spaces and tabs.
    private static func parseLine(_ line: ArraySlice<UInt8>) throws(MultipartError) -> (String, String) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
            throw MultipartError(.malformed, line.first == 0x20 || line.first == 0x09
                ? "multipart part headers may not be folded" : "malformed multipart part header line")
        }
        guard line[line.startIndex..<colon].allSatisfy(HeaderParameters.isTokenByte) else {
            throw MultipartError(.malformed, "malformed multipart part header name")
        }
        guard let value = String(validating: line[(colon + 1)...], as: UTF8.self),
              !value.utf8.contains(where: { $0 == 0 || $0 == 0x7F }) else {
            throw MultipartError(.malformed, "multipart part header value is not valid UTF-8 text")
        }
        return (String(decoding: line[line.startIndex..<colon], as: UTF8.self), value.trimmedOfSpaces)
    }

    /// RFC 8187 `ext-value`: `charset'language'value` with `%XX` escapes; UTF-8 or ISO-8859-1.
    static func decodeExtendedValue(_ text: String) -> String? {
        let pieces = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3 else { return nil }
        let encoded = pieces[2].utf8
        let allowed = encoded.allSatisfy { byte in
            HeaderParameters.isTokenByte(byte) && byte != UInt8(ascii: "*") && byte != UInt8(ascii: "'")
        }
        guard allowed, hasOnlyCompleteEscapes(Array(encoded)) else { return nil }
        let bytes = FormCoding.percentDecodedBytes(encoded, plusAsSpace: false)
        switch pieces[0].lowercased() {
        case "utf-8": return String(validating: bytes, as: UTF8.self)
        case "iso-8859-1": return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        default: return nil
        }
    }

    /// Whether every `%` is followed by two hex digits.
    private static func hasOnlyCompleteEscapes(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, Hex.value(ofDigit: bytes[index + 1]) != nil, Hex.value(ofDigit: bytes[index + 2]) != nil else {
                    return false
                }
                index += 3
            } else {
                index += 1
            }
        }
        return true
    }
}
