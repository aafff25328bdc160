import ServiceKit

/// A parsed JSON value, for request bodies whose keys must be checked one by one
/// (Morpheo answers `wrong key in posted data` rather than a decoding message).
public enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let i = try? c.decode(Int64.self) { self = .int(i); return }
        if let d = try? c.decode(Double.self) { self = .double(d); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([JSONValue].self) { self = .array(a); return }
        self = .object(try c.decode([String: JSONValue].self))
    }

    /// Parses bytes; nil when they are not JSON.
    public static func parse(_ bytes: [UInt8]) -> JSONValue? {
        JSONParser.parse(bytes)
    }

    /// The string, if this is one.
    public var string: String? { if case .string(let s) = self { return s }; return nil }

    /// The number (integer or not), if this is one.
    public var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The integer, if this is a number without a fractional part.
    public var integer: Int? {
        switch self {
        case .int(let i): return Int(exactly: i)
        case .double(let d): return d.rounded() == d ? Int(exactly: d) : nil
        default: return nil
        }
    }

    /// The elements, if this is an array of strings only.
    public var strings: [String]? {
        guard case .array(let a) = self else { return nil }
        var out: [String] = []
        out.reserveCapacity(a.count)
        for v in a {
            guard let s = v.string else { return nil }
            out.append(s)
        }
        return out
    }

    /// A single string or an array of strings, as a list.
    public var stringOrStrings: [String]? {
        if let s = string { return [s] }
        return strings
    }
}

/// Writes JSON text straight into bytes (documents keep their keys in the API's order,
/// and `null` is written, not omitted).
struct JSONWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// Appends text as is (keys, punctuation, already-encoded JSON).
    mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

    /// Appends a JSON string.
    mutating func string(_ s: String) {
        bytes.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: bytes.append(0x5C); bytes.append(0x22)
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
            case 0x0D: bytes.append(0x5C); bytes.append(0x72)
            case 0x09: bytes.append(0x5C); bytes.append(0x74)
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: bytes.append(b)
            }
        }
        bytes.append(0x22)
    }

    /// A string or `null`.
    mutating func optionalString(_ s: String?) {
        if let s { string(s) } else { raw("null") }
    }

    /// An integer.
    mutating func int(_ v: Int) { raw(String(v)) }

    /// An integer or `null`.
    mutating func optionalInt(_ v: Int?) {
        if let v { int(v) } else { raw("null") }
    }

    /// A number (`null` when not finite).
    mutating func double(_ v: Double) {
        if v.isFinite { raw(String(v)) } else { raw("null") }
    }

    /// A number or `null`.
    mutating func optionalDouble(_ v: Double?) {
        if let v { double(v) } else { raw("null") }
    }

    /// Already-encoded JSON or `null`.
    mutating func optionalRaw(_ s: String?) {
        raw(s ?? "null")
    }

    /// An array of strings.
    mutating func strings(_ a: [String]) {
        bytes.append(0x5B)
        for (i, s) in a.enumerated() {
            if i > 0 { bytes.append(0x2C) }
            string(s)
        }
        bytes.append(0x5D)
    }

    /// Any parsed value (object keys sorted, so output is stable).
    mutating func value(_ v: JSONValue) {
        switch v {
        case .null: raw("null")
        case .bool(let b): raw(b ? "true" : "false")
        case .int(let i): raw(String(i))
        case .double(let d): double(d)
        case .string(let s): string(s)
        case .array(let a):
            bytes.append(0x5B)
            for (i, e) in a.enumerated() {
                if i > 0 { bytes.append(0x2C) }
                value(e)
            }
            bytes.append(0x5D)
        case .object(let o):
            bytes.append(0x7B)
            for (i, k) in o.keys.sorted().enumerated() {
                if i > 0 { bytes.append(0x2C) }
                string(k)
                bytes.append(0x3A)
                value(o[k]!)
            }
            bytes.append(0x7D)
        }
    }

    /// The text written so far.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Encodes a list of strings as JSON text.
    static func encode(strings: [String]) -> String {
        var w = JSONWriter(capacity: strings.count * 40 + 2)
        w.strings(strings)
        return w.text
    }

    /// Encodes a value as JSON text.
    static func encode(_ v: JSONValue) -> String {
        var w = JSONWriter()
        w.value(v)
        return w.text
    }
}
