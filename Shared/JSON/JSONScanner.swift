import Crypto

/// The parser's cursor over one document (see `JSONParser` for what it accepts).
struct JSONScanner {
    private let b: UnsafeBufferPointer<UInt8>
    private let options: JSONParserOptions
    private var i = 0
    private var depth = 0
    /// Scratch for strings with escapes, reused across the document.
    private var scratch: [UInt8] = []

    init(_ buffer: UnsafeBufferPointer<UInt8>, options: JSONParserOptions) {
        b = buffer
        self.options = options
    }

    private func fail(_ reason: JSONParseError.Reason, at offset: Int) -> JSONParseError {
        JSONParseError(reason, at: offset)
    }

    /// The single value of the document, with nothing but whitespace after it.
    mutating func document() throws(JSONParseError) -> JSONValue {
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF {
            guard options.allowsByteOrderMark else { throw fail(.byteOrderMark, at: 0) }
            i = 3
        }
        let v = try value()
        skipSpace()
        guard i == b.count else { throw fail(.trailingData, at: i) }
        return v
    }

    @inline(__always) private mutating func skipSpace() {
        while i < b.count {
            let c = b[i]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            i &+= 1
        }
    }

    private mutating func value() throws(JSONParseError) -> JSONValue {
        skipSpace()
        guard i < b.count else { throw fail(.unexpectedEnd, at: i) }
        switch b[i] {
        case 0x7B: return try object()
        case 0x5B: return try array()
        case 0x22: return .string(try string())
        case 0x74: return try literal("true", .bool(true))
        case 0x66: return try literal("false", .bool(false))
        case 0x6E: return try literal("null", .null)
        case 0x2D, 0x30...0x39: return try number()
        case let c: throw fail(c == 0x4E || c == 0x49 ? .invalidNumber : .unexpectedByte(c), at: i)
        }
    }

    private mutating func literal(_ word: StaticString, _ v: JSONValue) throws(JSONParseError) -> JSONValue {
        let w = word.utf8Start
        for k in 0..<word.utf8CodeUnitCount {
            guard i < b.count else { throw fail(.unexpectedEnd, at: i) }
            guard b[i] == w[k] else { throw fail(.unexpectedByte(b[i]), at: i) }
            i &+= 1
        }
        return v
    }

    private mutating func enter() throws(JSONParseError) {
        depth &+= 1
        guard depth <= options.maxDepth else { throw fail(.tooDeep(limit: options.maxDepth), at: i) }
        i &+= 1
    }

    private mutating func object() throws(JSONParseError) -> JSONValue {
        try enter()
        var o = JSONObject()
        var seen: Set<String>?
        skipSpace()
        if i < b.count, b[i] == 0x7D { i &+= 1; depth &-= 1; return .object(o) }
        while true {
            skipSpace()
            guard i < b.count else { throw fail(.unexpectedEnd, at: i) }
            guard b[i] == 0x22 else { throw fail(b[i] == 0x7D ? .trailingComma : .unexpectedByte(b[i]), at: i) }
            let keyOffset = i
            let k = try string()
            skipSpace()
            guard i < b.count else { throw fail(.unexpectedEnd, at: i) }
            guard b[i] == 0x3A else { throw fail(.unexpectedByte(b[i]), at: i) }
            i &+= 1
            let v = try value()
            // Duplicate check: a scan while the object is small, a set once it is not.
            var existing: Int?
            if o.count < 16 {
                existing = o.members.firstIndex { $0.key == k }
            } else {
                if seen == nil { seen = Set(o.members.map(\.key)) }
                if !seen!.insert(k).inserted { existing = o.members.firstIndex { $0.key == k } }
            }
            if let existing {
                guard options.duplicateKeys == .keepLast else { throw fail(.duplicateKey(k), at: keyOffset) }
                o.replaceValue(at: existing, with: v)
            } else {
                o.appendUnchecked(k, v)
            }
            skipSpace()
            guard i < b.count else { throw fail(.unexpectedEnd, at: i) }
            if b[i] == 0x2C { i &+= 1; continue }
            if b[i] == 0x7D { i &+= 1; depth &-= 1; return .object(o) }
            throw fail(.unexpectedByte(b[i]), at: i)
        }
    }

    private mutating func array() throws(JSONParseError) -> JSONValue {
        try enter()
        var a: [JSONValue] = []
        skipSpace()
        if i < b.count, b[i] == 0x5D { i &+= 1; depth &-= 1; return .array(a) }
        while true {
            skipSpace()
            if i < b.count, b[i] == 0x5D { throw fail(.trailingComma, at: i) }
            a.append(try value())
            skipSpace()
            guard i < b.count else { throw fail(.unexpectedEnd, at: i) }
            if b[i] == 0x2C { i &+= 1; continue }
            if b[i] == 0x5D { i &+= 1; depth &-= 1; return .array(a) }
            throw fail(.unexpectedByte(b[i]), at: i)
        }
    }

    // MARK: Strings

    /// A string starting at the opening quote; `i` ends after the closing quote.
    private mutating func string() throws(JSONParseError) -> String {
        let open = i
        i &+= 1
        let start = i
        var ascii = true
        // Fast path: a run without escapes.
        while i < b.count {
            let c = b[i]
            if c == 0x22 || c == 0x5C || c < 0x20 { break }
            if c >= 0x80 { ascii = false }
            i &+= 1
        }
        guard i < b.count else { throw fail(.unexpectedEnd, at: i) }
        if b[i] == 0x22 {
            let run = UnsafeBufferPointer(rebasing: b[start..<i])
            guard run.count <= options.maxStringBytes else { throw fail(.stringTooLong(limit: options.maxStringBytes), at: open) }
            i &+= 1
            if ascii { return String(decoding: run, as: UTF8.self) }
            return try validated(run, from: start)
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<i]))
        while i < b.count {
            let c = b[i]
            if c == 0x22 {
                i &+= 1
                guard scratch.count <= options.maxStringBytes else { throw fail(.stringTooLong(limit: options.maxStringBytes), at: open) }
                let s: String? = scratch.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) }
                guard let s else { throw fail(.invalidUTF8, at: firstInvalidUTF8(from: start)) }
                return s
            }
            if c < 0x20 { throw fail(.controlCharacterInString, at: i) }
            if c != 0x5C { scratch.append(c); i &+= 1; continue }
            let escapeAt = i
            i &+= 1
            guard i < b.count else { throw fail(.unexpectedEnd, at: i) }
            let e = b[i]
            i &+= 1
            switch e {
            case 0x22, 0x5C, 0x2F: scratch.append(e)
            case 0x62: scratch.append(0x08)
            case 0x66: scratch.append(0x0C)
            case 0x6E: scratch.append(0x0A)
            case 0x72: scratch.append(0x0D)
            case 0x74: scratch.append(0x09)
            case 0x75:
                var u = try hex4(escapeAt)
                if (0xD800..<0xDC00).contains(u) {
                    guard i + 1 < b.count, b[i] == 0x5C, b[i + 1] == 0x75 else { throw fail(.loneSurrogate, at: escapeAt) }
                    i &+= 2
                    let lo = try hex4(i - 2)
                    guard (0xDC00..<0xE000).contains(lo) else { throw fail(.loneSurrogate, at: escapeAt) }
                    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00)
                } else if (0xDC00..<0xE000).contains(u) {
                    throw fail(.loneSurrogate, at: escapeAt)
                }
                appendUTF8(u)
            default: throw fail(.invalidEscape, at: escapeAt)
            }
        }
        throw fail(.unexpectedEnd, at: i)
    }

    private func validated(_ run: UnsafeBufferPointer<UInt8>, from start: Int) throws(JSONParseError) -> String {
        guard let s = String(validating: run, as: UTF8.self) else {
            throw fail(.invalidUTF8, at: firstInvalidUTF8(from: start))
        }
        return s
    }

    /// The offset of the first byte of the string at `start` that breaks UTF-8 (for the error).
    private func firstInvalidUTF8(from start: Int) -> Int {
        var k = start
        while k < b.count, b[k] != 0x22 {
            let c = b[k]
            if c == 0x5C { k += 2; continue }
            if c < 0x80 { k += 1; continue }
            let n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2
            let end = min(k + n, b.count)
            if String(validating: UnsafeBufferPointer(rebasing: b[k..<end]), as: UTF8.self) == nil { return k }
            k = end
        }
        return start
    }

    private mutating func hex4(_ escapeAt: Int) throws(JSONParseError) -> UInt32 {
        guard i + 4 <= b.count else { throw fail(i + 4 > b.count ? .unexpectedEnd : .invalidEscape, at: escapeAt) }
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Hex.value(ofDigit: b[i]) else { throw fail(.invalidEscape, at: escapeAt) }
            v = v << 4 | UInt32(digit)
            i &+= 1
        }
        return v
    }

    private mutating func appendUTF8(_ u: UInt32) {
        switch u {
        case 0..<0x80:
            scratch.append(UInt8(u))
        case 0x80..<0x800:
            scratch.append(0xC0 | UInt8(u >> 6))
            scratch.append(0x80 | UInt8(u & 0x3F))
        case 0x800..<0x10000:
            scratch.append(0xE0 | UInt8(u >> 12))
            scratch.append(0x80 | UInt8((u >> 6) & 0x3F))
            scratch.append(0x80 | UInt8(u & 0x3F))
        default:
            scratch.append(0xF0 | UInt8(u >> 18))
            scratch.append(0x80 | UInt8((u >> 12) & 0x3F))
            scratch.append(0x80 | UInt8((u >> 6) & 0x3F))
            scratch.append(0x80 | UInt8(u & 0x3F))
        }
    }

    // MARK: Numbers

    private mutating func number() throws(JSONParseError) -> JSONValue {
        let start = i
        let negative = b[i] == 0x2D
        if negative { i &+= 1 }
        guard i < b.count else { throw fail(.unexpectedEnd, at: i) }
        guard b[i] >= 0x30 && b[i] <= 0x39 else { throw fail(.invalidNumber, at: start) }
        var magnitude: UInt64 = 0
        var overflow = false
        if b[i] == 0x30 {
            i &+= 1
            if i < b.count, b[i] >= 0x30 && b[i] <= 0x39 { throw fail(.invalidNumber, at: start) }
        } else {
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 {
                let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (n, o2) = m.addingReportingOverflow(UInt64(b[i] &- 0x30))
                overflow = overflow || o1 || o2
                magnitude = n
                i &+= 1
            }
        }
        var integral = true
        if i < b.count, b[i] == 0x2E {
            integral = false
            i &+= 1
            guard i < b.count, b[i] >= 0x30 && b[i] <= 0x39 else { throw fail(.invalidNumber, at: start) }
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 { i &+= 1 }
        }
        if i < b.count, b[i] == 0x65 || b[i] == 0x45 {
            integral = false
            i &+= 1
            if i < b.count, b[i] == 0x2B || b[i] == 0x2D { i &+= 1 }
            guard i < b.count, b[i] >= 0x30 && b[i] <= 0x39 else { throw fail(.invalidNumber, at: start) }
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 { i &+= 1 }
        }
        if integral && !overflow {
            if !negative, magnitude <= UInt64(Int64.max) { return .int(Int64(magnitude)) }
            if negative, magnitude != 0, magnitude <= UInt64(Int64.max) + 1 { return .int(Int64(truncatingIfNeeded: 0 &- magnitude)) }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
        guard let d = Double(text), d.isFinite else { throw fail(.invalidNumber, at: start) }
        return .double(d)
    }
}
