import Crypto
import Foundation

/// URL-encoded forms (`application/x-www-form-urlencoded`) and query strings: parsing
/// (WHATWG URL standard §5.1), and decoding into `Decodable` types (strings converted to the
/// field's type, with a precise 400 on failure). The one form decoder of the platform.
///
/// Parsing never fails: pairs are split on `&` (empty pieces skipped), name and value on
/// the first `=` (a piece without one is a name with an empty value), `+` is a space and
/// `%XX` a byte; a `%` not followed by two hex digits stays as it is.
public enum FormCoding {
    /// One pair of a form, percent-decoded but not yet checked for UTF-8: a handler that
    /// must reject invalid text (rather than see U+FFFD) checks the bytes itself.
    public struct Field: Sendable, Equatable {
        /// The decoded name.
        public var name: [UInt8]
        /// The decoded value.
        public var value: [UInt8]

        /// A field of these bytes.
        public init(name: [UInt8], value: [UInt8]) {
            self.name = name
            self.value = value
        }
    }

    /// Parses a form body or query string into ordered, decoded byte pairs.
    public static func fields(_ body: some Collection<UInt8>) -> [Field] {
        var out: [Field] = []
        var pieceStart = body.startIndex
        var index = body.startIndex
        while true {
            let atEnd = index == body.endIndex
            if atEnd || body[index] == UInt8(ascii: "&") {
                let piece = body[pieceStart..<index]
                if !piece.isEmpty {
                    if let equals = piece.firstIndex(of: UInt8(ascii: "=")) {
                        out.append(Field(name: percentDecodedBytes(piece[..<equals], plusAsSpace: true),
                                         value: percentDecodedBytes(piece[piece.index(after: equals)...], plusAsSpace: true)))
                    } else {
                        out.append(Field(name: percentDecodedBytes(piece, plusAsSpace: true), value: []))
                    }
                }
                if atEnd { break }
                pieceStart = body.index(after: index)
            }
            index = body.index(after: index)
        }
        return out
    }

    /// Parses `a=1&b=x+y` into ordered, decoded pairs (invalid UTF-8 becomes U+FFFD).
    public static func parse(_ s: String) -> [(String, String)] {
        fields(s.utf8).map { (String(decoding: $0.name, as: UTF8.self), String(decoding: $0.value, as: UTF8.self)) }
    }

    /// Percent-decodes (invalid escapes are kept as they are; invalid UTF-8 is replaced).
    public static func percentDecode<S: StringProtocol>(_ s: S, plusAsSpace: Bool = false) -> String {
        String(decoding: percentDecodedBytes(s.utf8, plusAsSpace: plusAsSpace), as: UTF8.self)
    }

    /// Percent-decodes bytes: `%XX` becomes the byte XX, `+` a space when `plusAsSpace`;
    /// a `%` without two hex digits after it is kept.
    public static func percentDecodedBytes(_ bytes: some Collection<UInt8>, plusAsSpace: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                let first = bytes.index(after: index)
                if first != bytes.endIndex, let high = Hex.value(ofDigit: bytes[first]) {
                    let second = bytes.index(after: first)
                    if second != bytes.endIndex, let low = Hex.value(ofDigit: bytes[second]) {
                        out.append(high << 4 | low)
                        index = bytes.index(after: second)
                        continue
                    }
                }
                out.append(byte)
            } else if byte == UInt8(ascii: "+") && plusAsSpace {
                out.append(0x20)
            } else {
                out.append(byte)
            }
            index = bytes.index(after: index)
        }
        return out
    }

    /// Percent-encodes a component for a URL query or path segment.
    public static func percentEncode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(b))
            default:
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }

    /// Decodes pairs into `T`: first value wins for scalars, all values for arrays.
    public static func decode<T: Decodable>(_ type: T.Type, from pairs: [(String, String)]) throws -> T {
        var dict: [String: [String]] = [:]
        for (k, v) in pairs { dict[k, default: []].append(v) }
        do {
            return try T(from: FormDecoderImpl(values: dict, codingPath: []))
        } catch let e as ServiceError {
            throw e
        } catch {
            throw ServiceError.badRequest(describe(error))
        }
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let k, _): return "missing field '\(k.stringValue)'"
        case DecodingError.typeMismatch(_, let c), DecodingError.dataCorrupted(let c):
            return "field '\(c.codingPath.map(\.stringValue).joined(separator: "."))': \(c.debugDescription)"
        case DecodingError.valueNotFound(_, let c):
            return "missing field '\(c.codingPath.map(\.stringValue).joined(separator: "."))'"
        default: return "invalid form data"
        }
    }
}

