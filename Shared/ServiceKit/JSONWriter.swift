import Foundation

/// A fast, streaming JSON `Encoder` that writes bytes directly into a `[UInt8]`.
///
/// Output is semantically identical to Foundation's `JSONEncoder` configured with `.iso8601` dates,
/// `.withoutEscapingSlashes` and no pretty printing: keys appear in the order they are encoded.
///
/// Codable lets a type request containers in any order (a nested container may be requested, then
/// the parent written to, then the nested one filled). The writer streams values as long as
/// containers are used in nesting order, which is what synthesized and almost all hand-written
/// conformances do. If a container or encoder is used after a sibling or its parent moved past it,
/// the writer notices, gives up, and `JSONWriter.encode` re-encodes the value with Foundation's
/// `JSONEncoder`, so the result is always correct.
public enum JSONWriter {
    /// Encodes a value as compact JSON bytes.
    public static func encode<T: Encodable>(_ value: T, capacity: Int = 1024) throws -> [UInt8] {
        if let bytes = try streamed(value, capacity: capacity) { return bytes }
        return try foundationEncode(value)
    }

    /// The streaming encoder alone: nil where the value used containers out of nesting order.
    static func streamed<T: Encodable>(_ value: T, capacity: Int = 1024) throws -> [UInt8]? {
        let w = JSONByteWriter(capacity: capacity)
        do {
            try w.encodeTopLevel(value)
        } catch {
            if w.invalid { return nil }
            throw error
        }
        // An error thrown inside and swallowed by the value's own code may have left a partial value.
        return w.invalid || w.threw ? nil : w.out
    }

    /// Foundation's encoder with the same configuration; used as the fallback.
    static func foundationEncode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.withoutEscapingSlashes]
        return Array(try e.encode(value))
    }
}

/// Thrown internally when containers are used out of nesting order; never escapes `JSONWriter.encode`.
struct JSONWriterFallback: Error {}

/// The coding key of an array element, as Foundation spells it.
struct JSONIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(_ i: Int) { intValue = i }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.intValue = intValue }
}

/// The coding key `superEncoder()` uses.
struct JSONSuperKey: CodingKey {
    var stringValue: String { "super" }
    var intValue: Int? { nil }
    init() {}
    init?(stringValue: String) { guard stringValue == "super" else { return nil } }
    init?(intValue: Int) { return nil }
}

final class JSONByteWriter {
    enum Kind: UInt8 { case pending, object, array, done }

    /// One open value: a slot waiting for its value (`pending`), an open object or array, or a
    /// single value already written (`done`). Containers and encoders refer to frames by id.
    struct Frame {
        var id: Int
        var kind: Kind
        var count: Int
        var key: (any CodingKey)?
    }

    // The writer is confined to one encode call on one thread; dynamic exclusivity checks on these
    // hot properties cost more than the encoding itself.
    @exclusivity(unchecked) var buf: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) var count = 0
    @exclusivity(unchecked) var cap: Int
    @exclusivity(unchecked) var frames: [Frame] = []
    @exclusivity(unchecked) var nextID = 1
    @exclusivity(unchecked) var invalid = false
    /// Set whenever an error passes through the writer (the output may be partial).
    @exclusivity(unchecked) var threw = false

    init(capacity: Int) {
        cap = max(capacity, 64)
        buf = .allocate(capacity: cap)
        frames.reserveCapacity(16)
    }

    deinit { buf.deallocate() }

    /// The bytes written so far.
    var out: [UInt8] { Array(UnsafeBufferPointer(start: buf, count: count)) }

    // MARK: Buffer

    @inline(__always) func reserve(_ n: Int) {
        if count &+ n > cap { grow(n) }
    }

    func grow(_ n: Int) {
        let newCap = max(cap * 2, count + n)
        let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: newCap)
        nb.update(from: buf, count: count)
        buf.deallocate()
        buf = nb
        cap = newCap
    }

    @inline(__always) func byte(_ b: UInt8) {
        reserve(1)
        buf[count] = b
        count &+= 1
    }

    @inline(__always) func bytes(_ p: UnsafeBufferPointer<UInt8>) {
        guard let base = p.baseAddress, p.count > 0 else { return }
        reserve(p.count)
        (buf + count).update(from: base, count: p.count)
        count &+= p.count
    }

    // MARK: Frames

    @inline(__always) func newID() -> Int {
        nextID &+= 1
        return nextID
    }

    func fail() -> JSONWriterFallback {
        invalid = true
        return JSONWriterFallback()
    }

    @inline(__always) func index(of id: Int) -> Int? {
        var i = frames.count - 1
        while i >= 0 {
            if frames[i].id == id { return i }
            i -= 1
        }
        return nil
    }

    func closeTop() {
        let k = frames.removeLast().kind
        switch k {
        case .pending: byte(0x7B); byte(0x7D)
        case .object: byte(0x7D)
        case .array: byte(0x5D)
        case .done: break
        }
    }

    @inline(__always) func closeAbove(_ i: Int) {
        while frames.count - 1 > i { closeTop() }
    }

    /// Closes frames down to and including the one with `id`, if it is still open.
    func close(_ id: Int) {
        guard let i = index(of: id) else { return }
        while frames.count > i { closeTop() }
    }

    /// The coding path of the frame with `id` (all keys from the root down to it).
    func path(to id: Int) -> [any CodingKey] {
        guard let i = index(of: id) else { return [] }
        var p: [any CodingKey] = []
        for f in frames[...i] { if let k = f.key { p.append(k) } }
        return p
    }

    /// Opens (or reopens) the slot `id` as an object or array. Returns false if it cannot.
    func open(_ id: Int, as kind: Kind) -> Bool {
        guard let i = index(of: id) else { invalid = true; return false }
        let k = frames[i].kind
        if k == .pending {
            closeAbove(i)
            frames[i].kind = kind
            byte(kind == .object ? 0x7B : 0x5B)
            return true
        }
        if k == kind {
            closeAbove(i)
            return true
        }
        invalid = true
        return false
    }

    /// Prepares to write the next member of object `id`: closes anything opened after it, writes
    /// the separator and the key.
    @inline(__always) func beginMember<K: CodingKey>(_ id: Int, _ key: K) throws {
        let n = frames.count - 1
        let i: Int
        if n >= 0, frames[n].id == id {
            i = n
        } else {
            guard let j = index(of: id) else { throw fail() }
            closeAbove(j)
            i = j
        }
        guard frames[i].kind == .object else { throw fail() }
        if frames[i].count > 0 { byte(0x2C) }
        frames[i].count += 1
        writeString(key.stringValue)
        byte(0x3A)
    }

    /// Prepares to write the next element of array `id`; returns its index.
    @inline(__always) func beginElement(_ id: Int) throws -> Int {
        let n = frames.count - 1
        let i: Int
        if n >= 0, frames[n].id == id {
            i = n
        } else {
            guard let j = index(of: id) else { throw fail() }
            closeAbove(j)
            i = j
        }
        guard frames[i].kind == .array else { throw fail() }
        let c = frames[i].count
        if c > 0 { byte(0x2C) }
        frames[i].count = c + 1
        return c
    }

    /// Prepares slot `id` for a single value; returns its frame index.
    func beginSingle(_ id: Int) throws -> Int {
        guard let i = index(of: id), frames[i].kind == .pending else { throw fail() }
        closeAbove(i)
        return i
    }

    // MARK: Values

    func encodeTopLevel<T: Encodable>(_ value: T) throws {
        let id = newID()
        frames.append(Frame(id: id, kind: .pending, count: 0, key: nil))
        try encodeInSlot(value, id)
        while !frames.isEmpty { closeTop() }
    }

    /// Writes a value whose position (separator, key) is already written: primitives directly,
    /// anything else through a new slot.
    @inline(__always) func encodeValue<T: Encodable>(_ value: T, key: @autoclosure () -> any CodingKey) throws {
        switch writeSpecial(value) {
        case .written: return
        case .nonConforming: throw nonConforming(value, path(to: frames[frames.count - 1].id) + [key()])
        case .other: break
        }
        let id = newID()
        frames.append(Frame(id: id, kind: .pending, count: 0, key: key()))
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

    @inline(__always) func writeNull() {
        byte(0x6E); byte(0x75); byte(0x6C); byte(0x6C)
    }

    @inline(__always) func writeBool(_ b: Bool) {
        if b {
            byte(0x74); byte(0x72); byte(0x75); byte(0x65)
        } else {
            byte(0x66); byte(0x61); byte(0x6C); byte(0x73); byte(0x65)
        }
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
        var digits = 1
        var x = v
        while x >= 10 { digits &+= 1; x /= 10 }
        reserve(digits)
        x = v
        var i = count &+ digits
        while x > 0 {
            i &-= 1
            buf[i] = 0x30 &+ UInt8(truncatingIfNeeded: x % 10)
            x /= 10
        }
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

    func writeString(_ s: String) {
        var s = s
        byte(0x22)
        s.withUTF8 { writeEscaped($0) }
        byte(0x22)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// True if any of the 8 bytes is a control character, `"` or `\\` (exact, SWAR).
    @inline(__always) static func needsEscape(_ x: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let control = (x &- ones &* 0x20) & ~x & highs
        let q = x ^ (ones &* 0x22), quote = (q &- ones) & ~q & highs
        let s = x ^ (ones &* 0x5C), slash = (s &- ones) & ~s & highs
        return (control | quote | slash) != 0
    }

    func writeEscaped(_ b: UnsafeBufferPointer<UInt8>) {
        let n = b.count
        var start = 0
        var i = 0
        if let base = b.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i &+ 8 <= n, !Self.needsEscape(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i &+= 8 }
        }
        while i < n {
            let c = b[i]
            if c < 0x20 || c == 0x22 || c == 0x5C {
                if start < i { bytes(UnsafeBufferPointer(rebasing: b[start..<i])) }
                byte(0x5C)
                switch c {
                case 0x22: byte(0x22)
                case 0x5C: byte(0x5C)
                case 0x0A: byte(0x6E)
                case 0x0D: byte(0x72)
                case 0x09: byte(0x74)
                case 0x08: byte(0x62)
                case 0x0C: byte(0x66)
                default:
                    byte(0x75); byte(0x30); byte(0x30)
                    byte(Self.hex[Int(c >> 4)]); byte(Self.hex[Int(c & 0xF)])
                }
                start = i + 1
            }
            i += 1
        }
        if start < n { bytes(UnsafeBufferPointer(rebasing: b[start..<n])) }
    }
}

// MARK: - Encoder

struct JSONWriterEncoder: Encoder {
    let w: JSONByteWriter
    let id: Int

    var codingPath: [any CodingKey] { w.path(to: id) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let ok = w.open(id, as: .object)
        return KeyedEncodingContainer(JSONWriterKeyed<Key>(w: w, id: ok ? id : -1))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let ok = w.open(id, as: .array)
        return JSONWriterUnkeyed(w: w, id: ok ? id : -1)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONWriterSingle(w: w, id: id)
    }
}

// MARK: - Keyed

struct JSONWriterKeyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let w: JSONByteWriter
    let id: Int

    var codingPath: [any CodingKey] { w.path(to: id) }

    mutating func encodeNil(forKey key: Key) throws { try w.beginMember(id, key); w.writeNull() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try w.beginMember(id, key); w.writeBool(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { try w.beginMember(id, key); w.writeString(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        guard value.isFinite else { throw w.nonConforming(value, codingPath + [key]) }
        try w.beginMember(id, key); _ = w.writeDouble(value)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        guard value.isFinite else { throw w.nonConforming(value, codingPath + [key]) }
        try w.beginMember(id, key); _ = w.writeFloat(value)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { try w.beginMember(id, key); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try w.beginMember(id, key); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try w.beginMember(id, key); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try w.beginMember(id, key); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try w.beginMember(id, key); w.writeInt(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try w.beginMember(id, key); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try w.beginMember(id, key); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try w.beginMember(id, key); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try w.beginMember(id, key); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try w.beginMember(id, key); w.writeUInt(value) }
    mutating func encode(_ value: Int128, forKey key: Key) throws { try w.beginMember(id, key); w.writeASCII(value.description) }
    mutating func encode(_ value: UInt128, forKey key: Key) throws { try w.beginMember(id, key); w.writeASCII(value.description) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try w.beginMember(id, key)
        try w.encodeValue(value, key: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nid = w.newID()
        do {
            try w.beginMember(id, key)
            w.frames.append(.init(id: nid, kind: .object, count: 0, key: key))
            w.byte(0x7B)
        } catch {}
        return KeyedEncodingContainer(JSONWriterKeyed<NestedKey>(w: w, id: nid))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nid = w.newID()
        do {
            try w.beginMember(id, key)
            w.frames.append(.init(id: nid, kind: .array, count: 0, key: key))
            w.byte(0x5B)
        } catch {}
        return JSONWriterUnkeyed(w: w, id: nid)
    }

    mutating func superEncoder() -> any Encoder { slotEncoder(JSONSuperKey()) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { slotEncoder(key) }

    private func slotEncoder<K: CodingKey>(_ key: K) -> any Encoder {
        let nid = w.newID()
        do {
            try w.beginMember(id, key)
            w.frames.append(.init(id: nid, kind: .pending, count: 0, key: key))
        } catch {}
        return JSONWriterEncoder(w: w, id: nid)
    }
}

// MARK: - Unkeyed

struct JSONWriterUnkeyed: UnkeyedEncodingContainer {
    let w: JSONByteWriter
    let id: Int

    var codingPath: [any CodingKey] { w.path(to: id) }
    var count: Int { w.index(of: id).map { w.frames[$0].count } ?? 0 }

    mutating func encodeNil() throws { _ = try w.beginElement(id); w.writeNull() }
    mutating func encode(_ value: Bool) throws { _ = try w.beginElement(id); w.writeBool(value) }
    mutating func encode(_ value: String) throws { _ = try w.beginElement(id); w.writeString(value) }
    mutating func encode(_ value: Double) throws {
        guard value.isFinite else { throw w.nonConforming(value, codingPath + [JSONIndexKey(count)]) }
        _ = try w.beginElement(id); _ = w.writeDouble(value)
    }
    mutating func encode(_ value: Float) throws {
        guard value.isFinite else { throw w.nonConforming(value, codingPath + [JSONIndexKey(count)]) }
        _ = try w.beginElement(id); _ = w.writeFloat(value)
    }
    mutating func encode(_ value: Int) throws { _ = try w.beginElement(id); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int8) throws { _ = try w.beginElement(id); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int16) throws { _ = try w.beginElement(id); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int32) throws { _ = try w.beginElement(id); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int64) throws { _ = try w.beginElement(id); w.writeInt(value) }
    mutating func encode(_ value: UInt) throws { _ = try w.beginElement(id); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { _ = try w.beginElement(id); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { _ = try w.beginElement(id); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { _ = try w.beginElement(id); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { _ = try w.beginElement(id); w.writeUInt(value) }
    mutating func encode(_ value: Int128) throws { _ = try w.beginElement(id); w.writeASCII(value.description) }
    mutating func encode(_ value: UInt128) throws { _ = try w.beginElement(id); w.writeASCII(value.description) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let i = try w.beginElement(id)
        try w.encodeValue(value, key: JSONIndexKey(i))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nid = w.newID()
        do {
            let i = try w.beginElement(id)
            w.frames.append(.init(id: nid, kind: .object, count: 0, key: JSONIndexKey(i)))
            w.byte(0x7B)
        } catch {}
        return KeyedEncodingContainer(JSONWriterKeyed<NestedKey>(w: w, id: nid))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nid = w.newID()
        do {
            let i = try w.beginElement(id)
            w.frames.append(.init(id: nid, kind: .array, count: 0, key: JSONIndexKey(i)))
            w.byte(0x5B)
        } catch {}
        return JSONWriterUnkeyed(w: w, id: nid)
    }

    mutating func superEncoder() -> any Encoder {
        let nid = w.newID()
        do {
            let i = try w.beginElement(id)
            w.frames.append(.init(id: nid, kind: .pending, count: 0, key: JSONIndexKey(i)))
        } catch {}
        return JSONWriterEncoder(w: w, id: nid)
    }
}

// MARK: - Single value

struct JSONWriterSingle: SingleValueEncodingContainer {
    let w: JSONByteWriter
    let id: Int

    var codingPath: [any CodingKey] { w.path(to: id) }

    private func begin() throws {
        let i = try w.beginSingle(id)
        w.frames[i].kind = .done
    }

    mutating func encodeNil() throws { try begin(); w.writeNull() }
    mutating func encode(_ value: Bool) throws { try begin(); w.writeBool(value) }
    mutating func encode(_ value: String) throws { try begin(); w.writeString(value) }
    mutating func encode(_ value: Double) throws {
        guard value.isFinite else { throw w.nonConforming(value, codingPath) }
        try begin(); _ = w.writeDouble(value)
    }
    mutating func encode(_ value: Float) throws {
        guard value.isFinite else { throw w.nonConforming(value, codingPath) }
        try begin(); _ = w.writeFloat(value)
    }
    mutating func encode(_ value: Int) throws { try begin(); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int8) throws { try begin(); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int16) throws { try begin(); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int32) throws { try begin(); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int64) throws { try begin(); w.writeInt(value) }
    mutating func encode(_ value: UInt) throws { try begin(); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { try begin(); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { try begin(); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { try begin(); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { try begin(); w.writeUInt(value) }
    mutating func encode(_ value: Int128) throws { try begin(); w.writeASCII(value.description) }
    mutating func encode(_ value: UInt128) throws { try begin(); w.writeASCII(value.description) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try w.encodeInSlot(value, id)
    }
}
