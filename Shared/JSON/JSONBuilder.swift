/// Appends JSON tokens to bytes, for documents assembled from parts that are already JSON
/// (rows holding encoded lists, a stored document placed inside an answer) and for
/// `JSONValue`. Typed values go through `JSONWriter` instead.
///
/// `null` is written, not omitted; strings go through `JSONEscaper`; a `Double` keeps a
/// fraction (`1.0`) so that it reads back as a double.
public struct JSONBuilder: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8] = []

    /// An empty builder with room for `capacity` bytes.
    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// The text written so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends text as is (keys with punctuation, already-encoded JSON).
    public mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

    /// Appends bytes as is (already-encoded JSON).
    public mutating func raw(_ b: [UInt8]) { bytes.append(contentsOf: b) }

    /// Appends a quoted JSON string.
    public mutating func string(_ s: String) { JSONEscaper.appendQuoted(s, to: &bytes) }

    /// A string or `null`.
    public mutating func optionalString(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    /// `null`.
    public mutating func null() { raw("null") }

    /// `true` or `false`.
    public mutating func bool(_ v: Bool) { raw(v ? "true" : "false") }

    /// An integer.
    public mutating func int<I: BinaryInteger>(_ v: I) { raw(String(v)) }

    /// An integer or `null`.
    public mutating func optionalInt(_ v: Int?) {
        if let v { int(v) } else { null() }
    }

    /// A number in Swift's shortest round-trip form (`0.5`, `1.0`, `1e+30`); `null` when not finite.
    public mutating func double(_ v: Double) {
        if v.isFinite { raw(v.description) } else { null() }
    }

    /// A number or `null`.
    public mutating func optionalDouble(_ v: Double?) {
        if let v { double(v) } else { null() }
    }

    /// Already-encoded JSON or `null`.
    public mutating func optionalRaw(_ s: String?) {
        raw(s ?? "null")
    }

    /// An array of strings.
    public mutating func strings(_ a: [String]) {
        bytes.append(0x5B)
        for (i, s) in a.enumerated() {
            if i > 0 { bytes.append(0x2C) }
            string(s)
        }
        bytes.append(0x5D)
    }

    /// Any value, object members in their order.
    public mutating func value(_ v: JSONValue) {
        switch v {
        case .null: null()
        case .bool(let b): bool(b)
        case .int(let i): int(i)
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
            for (i, m) in o.members.enumerated() {
                if i > 0 { bytes.append(0x2C) }
                string(m.key)
                bytes.append(0x3A)
                value(m.value)
            }
            bytes.append(0x7D)
        }
    }

    /// A list of strings as JSON text.
    public static func encode(strings: [String]) -> String {
        var b = JSONBuilder(capacity: strings.count * 40 + 2)
        b.strings(strings)
        return b.text
    }
}
