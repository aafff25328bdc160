/// An object being written by `JSONWriter`: members are streamed in the order encoded, keys
/// copied from their type's `JSONKeyTable` where it has them.
struct JSONWriterKeyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let w: JSONByteWriter
    let id: Int
    /// The encoded keys of `Key`, nil when its keys are not cached.
    private var keys: JSONKeyTable.Entries?

    init(w: JSONByteWriter, id: Int) {
        self.w = w
        self.id = id
        keys = w.keyTable(Key.self)
    }

    /// Prepares to write the member `key`: closes anything opened after this object, writes
    /// the separator and the key.
    @inline(__always) private mutating func member(_ key: Key) throws {
        if let newer = try writeMember(key) { keys = newer }
    }

    /// `member` without changing `self` (no reference counting on the hot path); returns the
    /// newer entries of `Key` when `key` had to be added to its table.
    @inline(__always) private func writeMember(_ key: Key) throws -> JSONKeyTable.Entries? {
        let i = try w.container(id, .object)
        let separator = w.frames[i].count != 0
        w.frames[i].count &+= 1
        guard let keys else {
            w.writeKey(key.stringValue, separator: separator)
            return nil
        }
        if let entry = keys.entry(JSONKeyCache.pattern(of: key)) {
            w.writeEncodedKey(entry, separator: separator)
            return nil
        }
        let entries = w.addKey(key)
        w.writeEncodedKey(entries.entry(JSONKeyCache.pattern(of: key))!, separator: separator)
        return entries
    }

    var codingPath: [any CodingKey] { w.path(to: id) }

    mutating func encodeNil(forKey key: Key) throws { try member(key); w.writeNull() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try member(key); w.writeBool(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { try member(key); w.writeString(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        guard value.isFinite else { throw w.nonConforming(value, codingPath + [key]) }
        try member(key); _ = w.writeDouble(value)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        guard value.isFinite else { throw w.nonConforming(value, codingPath + [key]) }
        try member(key); _ = w.writeFloat(value)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { try member(key); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try member(key); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try member(key); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try member(key); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try member(key); w.writeInt(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try member(key); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try member(key); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try member(key); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try member(key); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try member(key); w.writeUInt(value) }
    mutating func encode(_ value: Int128, forKey key: Key) throws { try member(key); w.writeASCII(value.description) }
    mutating func encode(_ value: UInt128, forKey key: Key) throws { try member(key); w.writeASCII(value.description) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try member(key)
        try w.encodeValue(value, key: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nid = w.newID()
        do {
            try member(key)
            w.push(id: nid, kind: .object, key: key)
            w.byte(0x7B)
        } catch {}
        return KeyedEncodingContainer(JSONWriterKeyed<NestedKey>(w: w, id: nid))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nid = w.newID()
        do {
            try member(key)
            w.push(id: nid, kind: .array, key: key)
            w.byte(0x5B)
        } catch {}
        return JSONWriterUnkeyed(w: w, id: nid)
    }

    mutating func superEncoder() -> any Encoder { slotEncoder(JSONSuperKey()) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let nid = w.newID()
        do {
            try member(key)
            w.push(id: nid, kind: .pending, key: key)
        } catch {}
        return JSONWriterEncoder(w: w, id: nid)
    }

    private func slotEncoder<K: CodingKey>(_ key: K) -> any Encoder {
        let nid = w.newID()
        do {
            try w.beginMember(id, key)
            w.push(id: nid, kind: .pending, key: key)
        } catch {}
        return JSONWriterEncoder(w: w, id: nid)
    }
}
