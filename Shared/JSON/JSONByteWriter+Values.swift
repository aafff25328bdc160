import Foundation

// The values `JSONByteWriter` writes: Encodable values through frames, primitives directly.
extension JSONByteWriter {
    func encodeTopLevel<T: Encodable>(_ value: T) throws {
        let id = newID()
        push(id: id, kind: .pending, key: nil)
        try encodeInSlot(value, id)
        while depth > 0 { closeTop() }
    }

    /// Writes a value whose position (separator, key) is already written: primitives directly,
    /// anything else through a new slot.
    @inline(__always) func encodeValue<T: Encodable>(_ value: T, key: @autoclosure () -> any CodingKey) throws {
        switch writeSpecial(value) {
        case .written: return
        case .nonConforming: throw nonConforming(value, path(to: frames[depth - 1].id) + [key()])
        case .other: break
        }
        let id = newID()
        push(id: id, kind: .pending, key: childKey(key()))
        do {
            try value.encode(to: JSONWriterEncoder(w: self, id: id))
        } catch {
            threw = true
            throw error
        }
        close(id)
    }

    /// Writes a value into the existing slot `id` (single-value containers, top level).
    func encodeInSlot<T: Encodable>(_ value: T, _ id: Int) throws {
        let i = try beginSingle(id)
        switch writeSpecial(value) {
        case .written: frames[i].kind = .done; return
        case .nonConforming: throw nonConforming(value, path(to: id))
        case .other: break
        }
        do {
            try value.encode(to: JSONWriterEncoder(w: self, id: id))
        } catch {
            threw = true
            throw error
        }
    }

    enum Special { case written, nonConforming, other }

    /// Writes primitives and the types Foundation's JSONEncoder treats specially.
    @inline(__always) func writeSpecial<T: Encodable>(_ value: T) -> Special {
        let t = T.self
        if t == String.self { writeString(unsafeBitCast(value, to: String.self)); return .written }
        if t == Int.self { writeInt(Int64(unsafeBitCast(value, to: Int.self))); return .written }
        if t == Double.self { return writeDouble(unsafeBitCast(value, to: Double.self)) ? .written : .nonConforming }
        if t == Bool.self { writeBool(unsafeBitCast(value, to: Bool.self)); return .written }
        return writeRare(value)
    }

    func writeRare<T: Encodable>(_ value: T) -> Special {
        let t = T.self
        if t == Int64.self { writeInt(unsafeBitCast(value, to: Int64.self)) }
        else if t == Float.self { return writeFloat(unsafeBitCast(value, to: Float.self)) ? .written : .nonConforming }
        else if t == Date.self { writeString(unsafeBitCast(value, to: Date.self).formatted(.iso8601)) }
        else if t == Data.self { writeString(unsafeBitCast(value, to: Data.self).base64EncodedString()) }
        else if t == URL.self { writeString(unsafeBitCast(value, to: URL.self).absoluteString) }
        else if t == Decimal.self { writeASCII(unsafeBitCast(value, to: Decimal.self).description) }
        else if t == Int32.self { writeInt(Int64(unsafeBitCast(value, to: Int32.self))) }
        else if t == Int16.self { writeInt(Int64(unsafeBitCast(value, to: Int16.self))) }
        else if t == Int8.self { writeInt(Int64(unsafeBitCast(value, to: Int8.self))) }
        else if t == UInt.self { writeUInt(UInt64(unsafeBitCast(value, to: UInt.self))) }
        else if t == UInt64.self { writeUInt(unsafeBitCast(value, to: UInt64.self)) }
        else if t == UInt32.self { writeUInt(UInt64(unsafeBitCast(value, to: UInt32.self))) }
        else if t == UInt16.self { writeUInt(UInt64(unsafeBitCast(value, to: UInt16.self))) }
        else if t == UInt8.self { writeUInt(UInt64(unsafeBitCast(value, to: UInt8.self))) }
        else if t == Int128.self { writeASCII(unsafeBitCast(value, to: Int128.self).description) }
        else if t == UInt128.self { writeASCII(unsafeBitCast(value, to: UInt128.self).description) }
        else { return .other }
        return .written
    }

    func nonConforming<T>(_ value: T, _ path: [any CodingKey]) -> EncodingError {
        threw = true
        return EncodingError.invalidValue(value, EncodingError.Context(
            codingPath: path,
            debugDescription: "Unable to encode \(T.self).\(value) directly in JSON."))
    }

    /// `null`.
    @inline(__always) func writeNull() { word(0x6C6C_756E, length: 4) }

    /// `true` or `false`.
    @inline(__always) func writeBool(_ b: Bool) {
        if b { word(0x6575_7274, length: 4) } else { word(0x65_736C_6166, length: 5) }
    }

    func writeInt(_ v: Int64) {
        if v < 0 {
            byte(0x2D)
            writeUInt(v.magnitude)
        } else {
            writeUInt(UInt64(v))
        }
    }

    func writeUInt(_ v: UInt64) {
        if v < 10 {
            byte(0x30 &+ UInt8(truncatingIfNeeded: v))
            return
        }
        var digits = 2
        var limit: UInt64 = 100
        while digits < 20, v >= limit {
            digits &+= 1
            limit &*= 10
        }
        reserve(digits)
        var x = v
        var i = count &+ digits
        while x >= 10 {
            let (q, r) = x.quotientAndRemainder(dividingBy: 10)
            i &-= 1
            buf[i] = 0x30 &+ UInt8(truncatingIfNeeded: r)
            x = q
        }
        buf[i &- 1] = 0x30 &+ UInt8(truncatingIfNeeded: x)
        count &+= digits
    }

    /// Shortest round-trip form, `.0` dropped like Foundation; false for NaN and infinity.
    func writeDouble(_ d: Double) -> Bool {
        guard d.isFinite else { return false }
        writeNumber(d.description)
        return true
    }

    func writeFloat(_ f: Float) -> Bool {
        guard f.isFinite else { return false }
        writeNumber(f.description)
        return true
    }

    @inline(__always) func writeNumber(_ s: String) {
        var s = s
        s.withUTF8 { b in
            var n = b.count
            if n > 2, b[n - 2] == 0x2E, b[n - 1] == 0x30 { n -= 2 }
            bytes(UnsafeBufferPointer(rebasing: b[0..<n]))
        }
    }

    func writeASCII(_ s: String) {
        var s = s
        s.withUTF8 { bytes($0) }
    }

    /// A quoted, escaped string.
    func writeString(_ s: String) {
        if s.utf8.withContiguousStorageIfAvailable({ writeQuoted($0, separator: false, colon: false) }) == nil {
            var s = s
            s.withUTF8 { writeQuoted($0, separator: false, colon: false) }
        }
    }

    /// A member's key: a comma first unless it is the object's first, then the quoted,
    /// escaped key and a colon.
    func writeKey(_ s: String, separator: Bool) {
        if s.utf8.withContiguousStorageIfAvailable({ writeQuoted($0, separator: separator, colon: true) }) == nil {
            var s = s
            s.withUTF8 { writeQuoted($0, separator: separator, colon: true) }
        }
    }

    /// UTF-8 as a JSON string, escaped by the one escaper (`JSONEscaper`), optionally after a
    /// comma and before a colon: with one capacity check unless something needs escaping.
    @inline(__always) func writeQuoted(_ input: UnsafeBufferPointer<UInt8>, separator: Bool, colon: Bool) {
        let n = input.count
        reserve(n &+ 11)
        if separator {
            buf[count] = 0x2C
            count &+= 1
        }
        buf[count] = 0x22
        let copied = JSONEscaper.copyUnescapedPrefix(input, to: UnsafeMutableRawPointer(buf + (count &+ 1)))
        count &+= 1 &+ copied
        if _slowPath(copied < n) {
            JSONEscaper.escape(UnsafeBufferPointer(rebasing: input[copied..<n])) { bytes($0) }
            reserve(2)
        }
        buf[count] = 0x22
        count &+= 1
        if colon {
            buf[count] = 0x3A
            count &+= 1
        }
    }
}
