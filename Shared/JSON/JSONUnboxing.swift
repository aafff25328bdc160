import Foundation

/// Turns one `JSONValue` into a Swift value for the decoder's containers, with Foundation's
/// errors (the coding path is built only when one is thrown).
enum JSONUnboxing {
    static func context(_ path: JSONCodingPath, _ key: (any CodingKey)?, _ text: String) -> DecodingError.Context {
        DecodingError.Context(codingPath: path.keys(then: key), debugDescription: text)
    }

    static func kind(_ v: JSONValue) -> String {
        switch v {
        case .null: "null"
        case .bool: "bool"
        case .int, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "dictionary"
        }
    }

    static func mismatch(_ type: Any.Type, _ v: JSONValue, _ path: JSONCodingPath, _ key: (any CodingKey)?) -> DecodingError {
        if case .null = v {
            return .valueNotFound(type, context(path, key, "Cannot get value of type \(type) -- found null value instead"))
        }
        return .typeMismatch(type, context(path, key, "Expected to decode \(type) but found \(kind(v)) instead."))
    }

    @inline(__always)
    static func string(_ v: JSONValue, _ path: JSONCodingPath, _ key: (any CodingKey)?) throws -> String {
        if case .string(let s) = v { return s }
        throw mismatch(String.self, v, path, key)
    }

    @inline(__always)
    static func bool(_ v: JSONValue, _ path: JSONCodingPath, _ key: (any CodingKey)?) throws -> Bool {
        if case .bool(let b) = v { return b }
        throw mismatch(Bool.self, v, path, key)
    }

    @inline(__always)
    static func integer<I: FixedWidthInteger>(_ v: JSONValue, _ type: I.Type, _ path: JSONCodingPath, _ key: (any CodingKey)?) throws -> I {
        switch v {
        case .int(let i):
            if let x = I(exactly: i) { return x }
            throw DecodingError.dataCorrupted(context(path, key, "Number \(i) does not fit in \(I.self)."))
        case .double(let d):
            if let x = I(exactly: d) { return x }
            throw DecodingError.dataCorrupted(context(path, key, "Number \(d) does not fit in \(I.self)."))
        default:
            throw mismatch(I.self, v, path, key)
        }
    }

    @inline(__always)
    static func double(_ v: JSONValue, _ path: JSONCodingPath, _ key: (any CodingKey)?) throws -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: throw mismatch(Double.self, v, path, key)
        }
    }

    static func float(_ v: JSONValue, _ path: JSONCodingPath, _ key: (any CodingKey)?) throws -> Float {
        let d: Double
        switch v {
        case .int(let i): d = Double(i)
        case .double(let x): d = x
        default: throw mismatch(Float.self, v, path, key)
        }
        let f = Float(d)
        guard f.isFinite else { throw DecodingError.dataCorrupted(context(path, key, "Number \(d) does not fit in Float.")) }
        return f
    }

    /// Any `Decodable`: primitives and Foundation's specially coded types directly, others
    /// through a decoder over the value.
    @inline(__always)
    static func decode<T: Decodable>(_ type: T.Type, _ v: JSONValue, _ path: JSONCodingPath, _ key: (any CodingKey)?) throws -> T {
        if T.self == String.self { return unsafeBitCast(try string(v, path, key), to: T.self) }
        if T.self == Int.self { return unsafeBitCast(try integer(v, Int.self, path, key), to: T.self) }
        if T.self == Double.self { return unsafeBitCast(try double(v, path, key), to: T.self) }
        if T.self == Bool.self { return unsafeBitCast(try bool(v, path, key), to: T.self) }
        if T.self == JSONValue.self { return unsafeBitCast(v, to: T.self) }
        return try decodeOther(type, v, path, key)
    }

    static func decodeOther<T: Decodable>(_ type: T.Type, _ v: JSONValue, _ path: JSONCodingPath, _ key: (any CodingKey)?) throws -> T {
        if T.self == Date.self { return unsafeBitCast(try date(v, path, key), to: T.self) }
        if T.self == Data.self { return unsafeBitCast(try data(v, path, key), to: T.self) }
        if T.self == URL.self { return unsafeBitCast(try url(v, path, key), to: T.self) }
        if T.self == Decimal.self { return unsafeBitCast(try decimal(v, path, key), to: T.self) }
        if T.self == Int64.self { return unsafeBitCast(try integer(v, Int64.self, path, key), to: T.self) }
        let nested = key.map { path.appending($0) } ?? path
        return try T(from: JSONValueDecoding(value: v, path: nested))
    }

    static func date(_ v: JSONValue, _ path: JSONCodingPath, _ key: (any CodingKey)?) throws -> Date {
        let s = try string(v, path, key)
        if let d = try? Date.ISO8601FormatStyle().parse(s) { return d }
        if let d = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(s) { return d }
        throw DecodingError.dataCorrupted(context(path, key, "Expected date string to be ISO8601-formatted."))
    }

    static func data(_ v: JSONValue, _ path: JSONCodingPath, _ key: (any CodingKey)?) throws -> Data {
        let s = try string(v, path, key)
        guard let d = Data(base64Encoded: s) else {
            throw DecodingError.dataCorrupted(context(path, key, "Encountered Data is not valid Base64."))
        }
        return d
    }

    static func url(_ v: JSONValue, _ path: JSONCodingPath, _ key: (any CodingKey)?) throws -> URL {
        let s = try string(v, path, key)
        guard let u = URL(string: s) else { throw DecodingError.dataCorrupted(context(path, key, "Invalid URL string.")) }
        return u
    }

    static func decimal(_ v: JSONValue, _ path: JSONCodingPath, _ key: (any CodingKey)?) throws -> Decimal {
        switch v {
        case .int(let i): return Decimal(i)
        case .double(let d):
            guard let x = Decimal(string: d.description) else {
                throw DecodingError.dataCorrupted(context(path, key, "Number \(d) does not fit in Decimal."))
            }
            return x
        default: throw mismatch(Decimal.self, v, path, key)
        }
    }
}
