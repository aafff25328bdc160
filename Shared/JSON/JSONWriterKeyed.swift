/// An object being written by `JSONWriter`: members are streamed in the order encoded.
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
