/// Decodes one text-format result value into a `SQLValue` by its column's type OID:
/// `int2`/`int4`/`int8`/`oid` → `.integer`; `float4`/`float8`/`numeric` → `.real`; `bool` →
/// `.integer` 0 or 1 (as SQLite code reads flags); `bytea` → `.blob`; anything else
/// (`text`, `varchar`, `timestamptz`, `jsonb`, `uuid`, ...) → `.text` in PostgreSQL's output form.
enum PostgresValueDecoder {
    static func decode(oid: UInt32, bytes: UnsafeBufferPointer<UInt8>) -> SQLValue {
        switch oid {
        case 20, 21, 23, 26:
            if let integer = parseInteger(bytes) { return .integer(integer) }
            return .text(String(decoding: bytes, as: UTF8.self))
        case 700, 701, 1700:
            let text = String(decoding: bytes, as: UTF8.self)
            if let real = Double(text) { return .real(real) }
            return .text(text)
        case 16:
            return .integer(bytes.first == UInt8(ascii: "t") ? 1 : 0)
        case 17:
            return .blob(decodeBytea(bytes))
        default:
            return .text(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// A decimal `Int64` (with optional `-`), or `nil` on anything else or overflow.
    static func parseInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !bytes.isEmpty else { return nil }
        var index = 0
        let negative = bytes[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        guard index < bytes.count else { return nil }
        var value: Int64 = 0
        while index < bytes.count {
            let digit = bytes[index] &- 0x30
            guard digit <= 9 else { return nil }
            let (times10, overflowA) = value.multipliedReportingOverflow(by: 10)
            // Accumulate negatively so Int64.min parses.
            let (next, overflowB) = times10.subtractingReportingOverflow(Int64(digit))
            guard !overflowA, !overflowB else { return nil }
            value = next
            index += 1
        }
        if negative { return value }
        let (positive, overflow) = Int64(0).subtractingReportingOverflow(value)
        return overflow ? nil : positive
    }

    /// `bytea` in its hex output form (`\x0a1b...`, the default since PostgreSQL 9.0).
    static func decodeBytea(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x") else {
            return Array(bytes)
        }
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count - 2) / 2)
        var index = 2
        while index + 1 < bytes.count {
            out.append(nibble(bytes[index]) << 4 | nibble(bytes[index + 1]))
            index += 2
        }
        return out
    }

    private static func nibble(_ byte: UInt8) -> UInt8 {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x61 + 10
        case 0x41...0x46: byte - 0x41 + 10
        default: 0
        }
    }
}
