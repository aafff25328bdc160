import Foundation

/// The state of one `JSONWriter.encode` call: the output buffer and the stack of open values.
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

    /// Writes UTF-8 escaped by the one escaper (`JSONEscaper`).
    @inline(__always) func writeEscaped(_ b: UnsafeBufferPointer<UInt8>) {
        JSONEscaper.escape(b) { bytes($0) }
    }
}
