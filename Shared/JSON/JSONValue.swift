/// A JSON value as the parser read it.
///
/// Numbers keep what was written: an integer that fits `Int64` is `.int` (so an `Int64`
/// round-trips exactly), any number with a fraction or an exponent is `.double`, as is an
/// integer outside `Int64` (nearest `Double`) and `-0` (`.double(-0.0)`). Objects keep their
/// members in document order (`JSONObject`).
public enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer written without fraction or exponent that fits `Int64`.
    case int(Int64)
    /// Any other number.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, members in document order.
    case object(JSONObject)

    /// The string, if this is one.
    public var string: String? { if case .string(let s) = self { return s }; return nil }

    /// The boolean, if this is one.
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }

    /// The number (integer or not), if this is one.
    public var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The integer, if this is a number without a fractional part that fits `Int`.
    public var integer: Int? {
        switch self {
        case .int(let i): return Int(exactly: i)
        case .double(let d): return d.rounded() == d ? Int(exactly: d) : nil
        default: return nil
        }
    }

    /// The elements, if this is an array.
    public var array: [JSONValue]? { if case .array(let a) = self { return a }; return nil }

    /// The members, if this is an object.
    public var object: JSONObject? { if case .object(let o) = self { return o }; return nil }

    /// True for `null`.
    public var isNull: Bool { if case .null = self { return true }; return false }

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

    /// The value as compact JSON bytes, exactly as held: object members in order, a
    /// `.double` always with a fraction or exponent (`1.0`), so parsing the bytes gives
    /// back an equal value.
    public var serialized: [UInt8] {
        var b = JSONBuilder()
        b.value(self)
        return b.bytes
    }

    /// The value as compact JSON text (see `serialized`).
    public var serializedText: String { String(decoding: serialized, as: UTF8.self) }
}
